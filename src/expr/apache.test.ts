/**
 * Real `apache2 -t` must still print what testdata/apache-2.4.71.json recorded, and featherd's
 * parser must print the same. Each expression goes into a minimal config of its own.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseExpr, parseStringExpr } from './index.js';
import { apacheLine, configFor, loadApacheCases, type ApacheCase } from './cases.js';

const APACHE = '/usr/sbin/apache2';
const run = promisify(execFile);
const cases = loadApacheCases();

async function apacheSays(root: string, c: ApacheCase, i: number): Promise<string> {
  const dir = join(root, String(i));
  mkdirSync(dir);
  const conf = join(dir, 'httpd.conf');
  writeFileSync(
    conf,
    'ServerName x\n' +
      'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\n' +
      `ErrorLog /dev/null\nPidFile ${dir}/pid\n` +
      configFor(c),
  );
  let out: string;
  try {
    const r = await run(APACHE, ['-t', '-d', dir, '-f', conf]);
    out = r.stdout + r.stderr + '(ok)';
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    out = `${err.stderr ?? ''}${err.stdout ?? ''}`;
  }
  return out
    .split('\n')
    .filter((l) => l && !l.startsWith('AH00526') && !l.startsWith('Syntax OK'))
    .join(' | ');
}

describe('expressions checked against real apache2 -t', () => {
  const observed: string[] = [];
  const root = mkdtempSync(join(tmpdir(), 'featherd-expr-'));

  beforeAll(async () => {
    if (!existsSync(APACHE)) return;
    for (let i = 0; i < cases.length; i += 4) {
      const batch = cases.slice(i, i + 4);
      const got = await Promise.all(batch.map((c, j) => apacheSays(root, c, i + j)));
      observed.push(...got);
    }
  }, 120000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('apache2 is installed and there are many failing cases', () => {
    expect(existsSync(APACHE)).toBe(true);
    expect(cases.filter((c) => c.apache !== '(ok)').length).toBeGreaterThanOrEqual(10);
  });

  test.each(cases.map((c, i) => [c.mode, c.expr, i] as const))('%s %s', (mode, expr, i) => {
    const c = cases[i];
    expect(observed[i]).toBe(c.apache);
    const r = mode === 'bool' ? parseExpr(expr) : parseStringExpr(expr);
    expect(apacheLine(c, r)).toBe(c.apache);
  });
});
