/** Test helper: write a config file in a temp directory and load it as `featherd -t` would. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadResult } from '../../../config/load.js';
import { allModules } from '../../index.js';
import { createRegistry } from '../../../directives/registry.js';

export const BASE_MODULES = ['proxy', 'proxy_http', 'proxy_balancer', 'lbmethod_byrequests', 'slotmem_shm'];

/** The config text httpd and featherd are both given: MPM, authz_core, the listed modules, then `body`. */
export function configText(body: string, modules: string[] = BASE_MODULES): string {
  return [
    'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so',
    'LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so',
    ...modules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    'ServerName localhost',
    body,
  ].join('\n');
}

/** Line number of the first line of `body` in configText (for error locations). */
export const bodyLine = (modules: string[] = BASE_MODULES): number => modules.length + 4;

const registry = createRegistry(allModules);

export function load(body: string, modules: string[] = BASE_MODULES): LoadResult & { file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'featherd-proxy-'));
  try {
    const file = join(dir, 'httpd.conf');
    writeFileSync(file, configText(body, modules));
    return { ...loadConfig({ file, serverRoot: dir, registry, env: {} }), file };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error message of a config that must fail. */
export function errorOf(body: string, modules?: string[]): string {
  const r = load(body, modules);
  if (!r.error) throw new Error(`expected an error for:\n${body}`);
  return r.error.message;
}
