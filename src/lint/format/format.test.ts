import type { ConfigError, Diagnostic } from '../../util/diagnostics.js';
import { allRules } from '../rules/index.js';
import { formatJson } from './json.js';
import { artifactUri, displayPath } from './paths.js';
import { formatSarif, type SarifLog } from './sarif.js';
import { formatText } from './text.js';

const CWD = '/srv/site';
const inside: Diagnostic = {
  severity: 'warning',
  rule: 'retry-default',
  message: 'member has no retry=',
  loc: { file: '/srv/site/conf/my httpd.conf', line: 12, column: 5 },
};
const outside: Diagnostic = {
  severity: 'warning',
  rule: 'httpd',
  code: 'AH00111',
  message: 'Config variable ${X} is not defined',
  loc: { file: '/etc/featherd/extra.conf', line: 3, column: 1 },
};
const error: ConfigError = {
  phase: 'walk',
  message: "Invalid command 'ProxyPas'",
  hint: "did you mean 'ProxyPass'?",
  loc: { file: '/srv/site/conf/my httpd.conf', line: 20, column: 1 },
};

test('paths: relative below the working directory, absolute elsewhere', () => {
  expect(displayPath('/srv/site/conf/a.conf', CWD)).toBe('conf/a.conf');
  expect(displayPath('/srv/other/a.conf', CWD)).toBe('/srv/other/a.conf');
  expect(artifactUri('/srv/site/conf/my httpd.conf', CWD)).toEqual({ uri: 'conf/my%20httpd.conf', uriBaseId: 'SRCROOT' });
  expect(artifactUri('/etc/featherd/extra.conf', CWD)).toEqual({ uri: 'file:///etc/featherd/extra.conf' });
});

test('text: FILE:LINE:COL: severity: MESSAGE [rule]', () => {
  expect(formatText([inside, outside], CWD)).toBe(
    'conf/my httpd.conf:12:5: warning: member has no retry= [retry-default]\n' +
      '/etc/featherd/extra.conf:3:1: warning: Config variable ${X} is not defined [httpd]\n',
  );
});

test('json: verdict, error and findings', () => {
  const report = JSON.parse(formatJson([inside], error, CWD));
  expect(report).toEqual({
    verdict: 'error',
    error: { message: "Invalid command 'ProxyPas'", hint: "did you mean 'ProxyPass'?", file: 'conf/my httpd.conf', line: 20, column: 1 },
    findings: [{ rule: 'retry-default', severity: 'warning', message: 'member has no retry=', file: 'conf/my httpd.conf', line: 12, column: 5 }],
  });
});

test('sarif: the required SARIF 2.1.0 properties, rule indexes and locations', () => {
  const log = JSON.parse(formatSarif([inside, outside], error, allRules, CWD, { name: 'featherd', version: '1.2.3' })) as SarifLog;
  expect(log.version).toBe('2.1.0');
  expect(log.runs).toHaveLength(1);
  const run = log.runs[0];
  expect(run.tool.driver).toMatchObject({ name: 'featherd', version: '1.2.3' });
  expect(run.originalUriBaseIds).toEqual({ SRCROOT: { uri: 'file:///srv/site/' } });
  const ids = run.tool.driver.rules.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const rule of allRules) expect(ids).toContain(rule.id);
  expect(run.results.map((r) => [r.ruleId, r.level, r.message.text])).toEqual([
    ['retry-default', 'warning', 'member has no retry='],
    ['httpd', 'warning', 'AH00111: Config variable ${X} is not defined'],
    ['syntax', 'error', "Invalid command 'ProxyPas' (did you mean 'ProxyPass'?)"],
  ]);
  for (const r of run.results) {
    expect(ids[r.ruleIndex ?? -1]).toBe(r.ruleId);
    const phys = r.locations?.[0].physicalLocation;
    expect(phys?.region.startLine).toBeGreaterThanOrEqual(1);
    expect(phys?.region.startColumn).toBeGreaterThanOrEqual(1);
  }
  expect(run.results[0].locations?.[0].physicalLocation).toEqual({
    artifactLocation: { uri: 'conf/my%20httpd.conf', uriBaseId: 'SRCROOT' },
    region: { startLine: 12, startColumn: 5 },
  });
  expect(run.results[1].locations?.[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///etc/featherd/extra.conf' });
});
