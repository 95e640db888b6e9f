/**
 * Test helper: run one configuration through real `apache2 -t` and through featherd's loader,
 * and reduce both to the same shape (the error line and message, the warnings) for comparison.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../config/load.js';
import { createRegistry } from '../../../directives/registry.js';
import { allModules } from '../../index.js';
import { BASE_MODULES, configText } from './load.js';

export const APACHE = '/usr/sbin/apache2';

export interface Outcome {
  /** Line and message of the configuration error, if any. */
  error?: { line: number; message: string };
  /** Warnings as `AHxxxxx: message`. */
  warnings: string[];
}

const registry = createRegistry(allModules);

function apacheOutcome(root: string, file: string): Outcome {
  const res = spawnSync(APACHE, ['-t', '-d', root, '-f', file], { encoding: 'utf8' });
  const lines = `${res.stdout}${res.stderr}`.split('\n');
  const out: Outcome = { warnings: [] };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const syntax = /^AH00526: Syntax error on line (\d+) of /.exec(l);
    if (syntax) {
      out.error = { line: Number(syntax[1]), message: lines[i + 1] ?? '' };
      i++;
      continue;
    }
    const logged = /^\[[^\]]*\] \[[a-z_]+:warn\] \[pid [^\]]*\] (AH\d{5}: .*)$/.exec(l);
    if (logged) out.warnings.push(logged[1]);
    else if (/^AH\d{5}: /.test(l)) out.warnings.push(l);
  }
  return out;
}

function featherdOutcome(root: string, file: string): Outcome {
  const r = loadConfig({ file, serverRoot: root, registry, env: {} });
  const out: Outcome = {
    warnings: r.diagnostics.filter((d) => d.rule === 'httpd' && d.code).map((d) => `${d.code}: ${d.message}`),
  };
  if (r.error) out.error = { line: r.error.loc?.line ?? 0, message: r.error.message };
  return out;
}

/** Both outcomes for one configuration body loaded after `modules`. */
export function compare(body: string, modules: string[] = BASE_MODULES): { apache: Outcome; featherd: Outcome } {
  const root = mkdtempSync(join(tmpdir(), 'featherd-proxy-cmp-'));
  try {
    mkdirSync(join(root, 'logs'));
    const file = join(root, 'httpd.conf');
    writeFileSync(file, `${configText(body, modules)}\n`);
    return { apache: apacheOutcome(root, file), featherd: featherdOutcome(root, file) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export const apacheInstalled = (): boolean => existsSync(APACHE);
