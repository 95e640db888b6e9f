import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Registry } from '../directives/types.js';
import { DEFAULT_PIDLOG } from '../modules/core/config.js';

/** The product name in `Server version:` lines (httpd prints `Apache/2.4.x (OS)` there). */
export const PRODUCT = 'featherd';
/** The httpd release whose configuration language featherd follows. */
export const HTTPD_COMPAT = '2.4.71';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** `featherd/0.1.0`, shaped like httpd's AP_SERVER_BASEVERSION (`Apache/2.4.71`). */
export function productToken(): string {
  return `${PRODUCT}/${packageVersion()}`;
}

/** `featherd/0.1.0 (Node.js v20.18.0)`, shaped like httpd's `Apache/2.4.71 (Debian)`. */
export function serverDescription(): string {
  return `${PRODUCT}/${packageVersion()} (Node.js ${process.version})`;
}

/** When this code was built, as httpd's `Server built:` (local time, seconds). */
export function serverBuilt(): string {
  let when: Date;
  try {
    when = statSync(fileURLToPath(import.meta.url)).mtime;
  } catch {
    when = new Date(0);
  }
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${when.getFullYear()}-${p(when.getMonth() + 1)}-${p(when.getDate())}` +
    `T${p(when.getHours())}:${p(when.getMinutes())}:${p(when.getSeconds())}`
  );
}

/** `-v` (stdout). */
export function versionText(): string {
  return `Server version: ${serverDescription()}\nServer built:   ${serverBuilt()}\n`;
}

/** `-V` (stdout): httpd's layout; the values describe featherd. */
export function compileSettingsText(): string {
  const v = process.versions;
  const lines = [
    `Server version: ${serverDescription()}`,
    `Server built:   ${serverBuilt()}`,
    `Server's Module Magic Number: 20120211:142`,
    `Server loaded:  Node.js ${process.version}, V8 ${v.v8}, OpenSSL ${v.openssl ?? 'none'}`,
    `Compiled using: TypeScript (ES2022 modules), httpd ${HTTPD_COMPAT} configuration language`,
    `Architecture:   ${process.arch === 'x64' || process.arch === 'arm64' ? 64 : 32}-bit`,
    'Server MPM:     event',
    '  threaded:     no',
    '    forked:     no',
    'Server compiled with....',
    ' -D HTTPD_ROOT="."',
    ` -D DEFAULT_PIDLOG="${DEFAULT_PIDLOG}"`,
    ' -D DEFAULT_ERRORLOG="logs/error_log"',
    ' -D SERVER_CONFIG_FILE="conf/httpd.conf"',
  ];
  return lines.join('\n') + '\n';
}

/** `-l` (stdout): the modules that are always present (httpd's statically compiled ones). */
export function compiledModulesText(registry: Registry): string {
  const lines = ['Compiled in modules:'];
  for (const m of registry.modules) if (m.builtin) lines.push(`  ${m.file}`);
  return lines.join('\n') + '\n';
}
