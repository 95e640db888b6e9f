import type { Cmd } from '../../directives/types.js';
import { GLOBAL_ONLY } from '../../directives/types.js';
import { serverRootRelative } from '../authz_core/path.js';
import { pathExists } from '../../util/fs.js';

/**
 * `SSLPassPhraseDialog builtin|exec:/path|"|/path"` (ssl_cmd_SSLPassPhraseDialog): an `exec:`
 * program must exist; a `|` pipe program is not checked.
 */
export function passPhraseDialog(cmd: Cmd, [arg]: string[]): string | undefined {
  const ctx = cmd.checkContext(GLOBAL_ONLY);
  if (ctx) return ctx;
  if (arg.toLowerCase() === 'builtin') return undefined;
  if (arg.length > 5 && arg.startsWith('exec:')) {
    const p = serverRootRelative(cmd, arg.slice(5));
    return pathExists(p) ? undefined : `SSLPassPhraseDialog: file '${p}' does not exist`;
  }
  if (arg.length > 1 && arg[0] === '|') return undefined;
  return 'SSLPassPhraseDialog: Invalid argument';
}

/**
 * `SSLRandomSeed startup|connect builtin|file:/path|exec:/path [bytes]` (ssl_cmd_SSLRandomSeed).
 * Any other source is a file path; file and program must exist. Debian's OpenSSL 3 has no EGD.
 */
export function randomSeed(cmd: Cmd, args: string[]): string | undefined {
  const ctx = cmd.checkContext(GLOBAL_ONLY);
  if (ctx) return ctx;
  const [when, source, bytes] = args;
  const w = when.toLowerCase();
  if (w !== 'startup' && w !== 'connect') return `SSLRandomSeed: invalid context: \`${when}'`;
  let builtin = false;
  let file: string | undefined;
  if (source.length > 5 && (source.startsWith('file:') || source.startsWith('exec:'))) file = source.slice(5);
  else if (source.length > 4 && source.startsWith('egd:')) {
    return `Invalid SSLRandomSeed entropy source \`${source}': This version of OpenSSL does not support the Entropy Gathering Daemon (EGD).`;
  } else if (source.toLowerCase() === 'builtin') builtin = true;
  else file = source;
  if (file !== undefined) {
    const p = serverRootRelative(cmd, file);
    if (!pathExists(p)) return `SSLRandomSeed: source path '${p}' does not exist`;
  }
  if (bytes !== undefined) {
    if (builtin) return 'SSLRandomSeed: byte specification not allowed for builtin seed source';
    const n = parseInt(bytes, 10);
    if (!Number.isNaN(n) && n < 0) return 'SSLRandomSeed: invalid number of bytes specified';
  }
  return undefined;
}
