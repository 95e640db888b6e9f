import fs from 'node:fs';
import type { Cmd } from '../../directives/types.js';
import { serverRootRelative } from '../authz_core/path.js';
import type { RewriteMapDef } from './config.js';

/** Functions `int:` maps can name. */
export const INTERNAL_MAPS = new Set(['toupper', 'tolower', 'escape', 'unescape']);

const DBM_TYPES = new Set(['default', 'db', 'gdbm', 'ndbm', 'sdbm', 'lmdb']);

/** apr_tokenize_to_argv, enough for `prg:` command lines. */
function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"])*)"|'((?:\\.|[^'])*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push((m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1'));
  return out;
}

/** cmd_rewritemap: the map definition, or httpd's error text. */
export function parseRewriteMap(cmd: Cmd, name: string, spec: string, options?: string): RewriteMapDef | string {
  const lower = spec.toLowerCase();
  const loc = cmd.node.loc;
  let def: RewriteMapDef;
  let checkFile: string | undefined;
  if (lower.startsWith('txt:') || lower.startsWith('rnd:')) {
    const file = serverRootRelative(cmd, spec.slice(4));
    def = { name, type: lower.startsWith('txt:') ? 'txt' : 'rnd', source: file, loc };
    checkFile = file;
  } else if (lower.startsWith('dbm')) {
    let dbmType: string | undefined;
    let fname: string | undefined;
    if (spec[3] === ':') {
      dbmType = 'default';
      fname = spec.slice(4);
    } else if (spec[3] === '=') {
      const colon = spec.indexOf(':', 4);
      if (colon >= 0) {
        dbmType = spec.slice(4, colon);
        fname = spec.slice(colon + 1);
      }
    }
    if (fname === undefined || dbmType === undefined) return `RewriteMap: bad map:${spec}`;
    const file = serverRootRelative(cmd, fname);
    if (!DBM_TYPES.has(dbmType)) return `RewriteMap: dbm type ${dbmType} is invalid`;
    def = { name, type: 'dbm', source: file, dbmType, loc };
    checkFile = dbmType === 'sdbm' ? `${file}.pag` : file;
  } else if (lower.startsWith('dbd:') || lower.startsWith('fastdbd:')) {
    return 'RewriteMap types dbd and fastdbd require mod_dbd!';
  } else if (lower.startsWith('prg:')) {
    const argv = tokenize(spec.slice(4));
    const prog = serverRootRelative(cmd, argv[0] ?? '');
    def = { name, type: 'prg', source: prog, argv: [prog, ...argv.slice(1)], loc };
    if (options) {
      const [user, group] = options.split(':').filter((x) => x !== '');
      if (user) def.user = user;
      if (group) def.group = group;
    }
    checkFile = prog;
  } else if (lower.startsWith('int:')) {
    const fn = spec.slice(4);
    if (!INTERNAL_MAPS.has(fn)) return `RewriteMap: internal map not found:${fn}`;
    def = { name, type: 'int', source: fn, loc };
  } else {
    const file = serverRootRelative(cmd, spec);
    def = { name, type: 'txt', source: file, loc };
    checkFile = file;
  }
  if (checkFile !== undefined && !fs.existsSync(checkFile)) {
    return `RewriteMap: file for map ${name} not found:${checkFile}`;
  }
  return def;
}
