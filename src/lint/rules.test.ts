/**
 * The lint rules, driven by their example configs: every folder src/lint/rules/<id>/ holds
 * examples/good-*.conf (no finding of that rule) and examples/bad-*.conf (findings of that rule
 * exactly at the lines named by `# expect: N` comments). Every example is also a configuration
 * real httpd accepts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import { defaultRegistry } from '../modules/index.js';
import { lintFindings } from './run.js';
import { allRules } from './rules/index.js';

const RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'rules');
const APACHE = '/usr/sbin/apache2';

const folders = readdirSync(RULES_DIR).filter((f) => statSync(join(RULES_DIR, f)).isDirectory());

function expectedLines(text: string): number[] {
  return [...text.matchAll(/^\s*# expect: (\d+)\s*$/gm)].map((m) => Number(m[1]));
}

function findingsOf(file: string, ruleId: string) {
  const loaded = loadConfig({ file, serverRoot: dirname(file), registry: defaultRegistry(), env: {} });
  if (loaded.error || !loaded.state || !loaded.tree) {
    throw new Error(`${file} does not load: ${loaded.error?.message ?? 'no tree'}`);
  }
  return lintFindings({ state: loaded.state, tree: loaded.tree, diagnostics: loaded.diagnostics }).filter(
    (d) => d.rule === ruleId,
  );
}

test('every rule has a folder and every folder a rule', () => {
  expect(folders.sort()).toEqual(allRules.map((r) => r.id).sort());
});

describe.each(folders)('%s', (id) => {
  const dir = join(RULES_DIR, id, 'examples');
  const examples = readdirSync(dir).filter((f) => f.endsWith('.conf'));

  test('has good and bad examples', () => {
    expect(examples.some((f) => f.startsWith('good-'))).toBe(true);
    expect(examples.some((f) => f.startsWith('bad-'))).toBe(true);
    expect(examples.every((f) => f.startsWith('good-') || f.startsWith('bad-'))).toBe(true);
  });

  test.each(examples)('%s', (name) => {
    const file = join(dir, name);
    const findings = findingsOf(file, id);
    if (name.startsWith('good-')) {
      expect(findings).toEqual([]);
      return;
    }
    const expected = expectedLines(readFileSync(file, 'utf8'));
    expect(expected.length).toBeGreaterThan(0);
    expect(findings.length).toBeGreaterThanOrEqual(1);
    expect([...new Set(findings.map((d) => d.loc?.line))].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(expected);
    for (const d of findings) {
      expect(d.loc?.file).toBe(file);
      expect(d.message.length).toBeGreaterThan(10);
    }
  });

  test.each(examples)('real httpd accepts %s', (name) => {
    expect(existsSync(APACHE)).toBe(true);
    const root = mkdtempSync(join(tmpdir(), 'featherd-lint-'));
    mkdirSync(join(root, 'logs'));
    const r = spawnSync(APACHE, ['-t', '-d', root, '-f', join(dir, name)], { encoding: 'utf8' });
    expect(r.stderr).toContain('Syntax OK');
    expect(r.status).toBe(0);
  });
});
