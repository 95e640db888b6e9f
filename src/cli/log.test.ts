import type { Diagnostic } from '../util/diagnostics.js';
import { httpdLogLine, logTimestamp, printWarnings } from './log.js';

const undefinedVar: Diagnostic = { severity: 'warning', rule: 'httpd', code: 'AH00111', message: 'Config variable ${X} is not defined' };
const noDocRoot: Diagnostic = { severity: 'warning', rule: 'httpd', code: 'AH00112', message: 'Warning: DocumentRoot [/x] does not exist' };

test('time stamps as httpd writes them, with microseconds', () => {
  const local = new Date(2026, 10, 27, 9, 5, 3, 716);
  expect(logTimestamp(local.getTime() * 1000 + 849)).toBe('Fri Nov 27 09:05:03.716849 2026');
});

test('prefixed lines with the module and level, plain startup lines, -e filtering', () => {
  const t = new Date(2026, 0, 2, 3, 4, 5).getTime() * 1000;
  expect(httpdLogLine(undefinedVar, 'warn', t, 42)).toBe(
    '[Fri Jan 02 03:04:05.000000 2026] [core:warn] [pid 42:tid 42] AH00111: Config variable ${X} is not defined',
  );
  expect(httpdLogLine({ ...undefinedVar, code: 'AH01146', message: 'Ignoring parameter' }, 'warn', t, 7)).toContain('[proxy:warn] [pid 7:tid 7] AH01146:');
  expect(httpdLogLine(undefinedVar, 'crit', t)).toBeUndefined();
  expect(httpdLogLine(noDocRoot, 'crit', t)).toBe('AH00112: Warning: DocumentRoot [/x] does not exist');
  let out = '';
  printWarnings([undefinedVar, { ...noDocRoot, rule: 'not-honoured' }, noDocRoot], (s) => (out += s), 'warn');
  expect(out).toMatch(/^\[[^\]]+\] \[core:warn\] \[pid \d+:tid \d+\] AH00111: .*\nAH00112: Warning: DocumentRoot \[\/x\] does not exist\n$/);
});
