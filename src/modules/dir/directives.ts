import type { Cmd, DirectiveEntry, ModuleDef } from '../../directives/types.js';
import { OR_INDEXES } from '../../directives/types.js';
import { d } from '../core/entry.js';

/** mod_dir's per-directory record. */
export interface DirDirConfig {
  /** DirectoryIndex names in order; [] after `DirectoryIndex disabled`. */
  index?: string[];
  slash?: boolean;
  checkHandler?: boolean;
  /** FallbackResource URL, or 'disabled'. */
  fallback?: string;
  /** DirectoryIndexRedirect: 0 = off, else the 3xx status to use. */
  indexRedirect?: number;
}

export function createDirDirConfig(): DirDirConfig {
  return {};
}

let self: ModuleDef<unknown, DirDirConfig> | undefined;
export function bindDir(m: ModuleDef<unknown, DirDirConfig>): void {
  self = m;
}
function conf(cmd: Cmd): DirDirConfig {
  return self ? cmd.dirConfig(self) : createDirDirConfig();
}

/** `DirectoryIndex disabled | url …` (mod_dir.c add_index: `disabled` alone clears the list). */
function directoryIndex(cmd: Cmd, words: string[]) {
  const c = conf(cmd);
  const list: string[] = [];
  for (const w of words) {
    if (w.toLowerCase() === 'disabled' && words.length === 1) {
      c.index = [];
      return undefined;
    }
    list.push(w);
  }
  c.index = list;
  return undefined;
}

function fallbackResource(cmd: Cmd, [arg]: string[]) {
  conf(cmd).fallback = arg;
  return undefined;
}

function flag(field: 'slash' | 'checkHandler') {
  return (cmd: Cmd, [arg]: string[]) => {
    conf(cmd)[field] = arg === 'On';
    return undefined;
  };
}

function indexRedirect(cmd: Cmd, [arg]: string[]) {
  const a = arg.toLowerCase();
  const named: Record<string, number> = { on: 302, off: 0, permanent: 301, temp: 302, seeother: 303 };
  let status: number;
  if (a in named) status = named[a];
  else if (/^\d/.test(arg)) {
    status = Number.parseInt(arg, 10);
    if (status < 300 || status > 399) return 'DirectoryIndexRedirect only accepts values between 300 and 399';
  } else {
    return 'DirectoryIndexRedirect ON|OFF|permanent|temp|seeother|3xx';
  }
  conf(cmd).indexRedirect = status;
  return undefined;
}

/** mod_dir.c's command table. */
export const dirDirectives: DirectiveEntry[] = [
  d('FallbackResource', 'TAKE1', OR_INDEXES, 'Set a default handler', 'yes', fallbackResource),
  d('DirectoryIndex', 'RAW_ARGS', OR_INDEXES, 'a list of file names', 'yes', directoryIndex),
  d('DirectorySlash', 'FLAG', OR_INDEXES, 'On or Off', 'yes', flag('slash')),
  d('DirectoryCheckHandler', 'FLAG', OR_INDEXES, 'On or Off', 'yes', flag('checkHandler')),
  d('DirectoryIndexRedirect', 'TAKE1', OR_INDEXES, 'On, Off, or a 3xx status code.', 'yes', indexRedirect),
];
