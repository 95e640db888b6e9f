/**
 * Test support: write a configuration into a fresh temporary ServerRoot and load it with the
 * full registry, as `featherd -t -d ROOT -f ROOT/httpd.conf` would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatConfigError, loadConfig, type LoadResult } from '../../config/load.js';
import { defaultRegistry } from '../index.js';

export interface Snippet {
  root: string;
  file: string;
  result: LoadResult;
  /** What httpd -t would print for the error (apache2 as argv0), or undefined when the config is fine. */
  errorText?: string;
  /** The error message alone. */
  message?: string;
}

/**
 * Load `body` after `LoadModule` lines for an MPM (event unless `mpm` says otherwise or is
 * null) and each of `modules` (ids without `_module`). `files` are created relative to the root.
 */
export function loadSnippet(
  body: string,
  opts: { modules?: string[]; mpm?: 'event' | 'worker' | 'prefork' | null; files?: Record<string, string>; dirs?: string[] } = {},
): Snippet {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-core-'));
  for (const d of opts.dirs ?? []) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const [name, text] of Object.entries(opts.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  const lines: string[] = [];
  const mpm = opts.mpm === undefined ? 'event' : opts.mpm;
  if (mpm) lines.push(`LoadModule mpm_${mpm}_module modules/mod_mpm_${mpm}.so`);
  for (const m of opts.modules ?? []) lines.push(`LoadModule ${m}_module modules/mod_${m}.so`);
  const file = path.join(root, 'httpd.conf');
  fs.writeFileSync(file, `${lines.join('\n')}\n${body}\n`);
  const result = loadConfig({ file, serverRoot: root, registry: defaultRegistry(), env: {} });
  const snip: Snippet = { root, file, result };
  if (result.error) {
    snip.errorText = formatConfigError(result.error, 'apache2');
    snip.message = result.error.message;
  }
  return snip;
}

/** The line of the body's first line in the written file (after the LoadModule lines). */
export function bodyLine(opts: { modules?: string[]; mpm?: string | null } = {}): number {
  return (opts.mpm === null ? 0 : 1) + (opts.modules?.length ?? 0) + 1;
}

export function cleanup(s: Snippet): void {
  fs.rmSync(s.root, { recursive: true, force: true });
}
