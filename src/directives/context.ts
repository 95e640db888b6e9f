import type { Cmd } from './types.js';
import {
  NOT_IN_DIR_LOC_FILE,
  NOT_IN_DIRECTORY,
  NOT_IN_FILES,
  NOT_IN_LIMIT,
  NOT_IN_LOCATION,
  NOT_IN_PROXY,
  NOT_IN_VIRTUALHOST,
  EXEC_ON_READ,
} from './types.js';

/** Whether the directive sits inside `<Limit>`/`<LimitExcept>`. */
export function inLimit(cmd: Cmd): boolean {
  return cmd.sections.some((s) => /^(limit|limitexcept)$/i.test(s.name));
}

const DIRECTORY = ['directory', 'directorymatch'];
const LOCATION = ['location', 'locationmatch'];
const FILES = ['files', 'filesmatch', 'if', 'elseif', 'else'];
const PROXY = ['proxy', 'proxymatch'];

/** Section names as written → lower case (a few spellings, asked for by every directive in them). */
const lowerNames = new Map<string, string>();

function lower(name: string): string {
  let l = lowerNames.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (lowerNames.size < 1024) lowerNames.set(name, l);
  }
  return l;
}

/** The innermost enclosing section whose name (as written) is one of `names` (lower case; compared case-insensitively). */
function findParent(cmd: Cmd, names: string[]): string | undefined {
  for (let i = cmd.sections.length - 1; i >= 0; i--) {
    const n = cmd.sections[i].name;
    if (names.includes(lower(n))) return `<${n}`;
  }
  return undefined;
}

/** httpd's ap_check_cmd_context (server/core.c): an error message, or undefined. */
export function checkContext(cmd: Cmd, forbidden: number): string | undefined {
  const name = cmd.entry.name;
  const gt = name.startsWith('<') && !name.endsWith('>') ? '>' : '';
  if (forbidden & NOT_IN_VIRTUALHOST && cmd.server.isVirtual) {
    return `${name}${gt} cannot occur within <VirtualHost> section`;
  }
  if (forbidden & NOT_IN_LIMIT && inLimit(cmd)) {
    return `${name}${gt} cannot occur within <Limit> or <LimitExcept> section`;
  }
  // NOT_IN_HTACCESS never applies: featherd reads no .htaccess files.
  if ((forbidden & NOT_IN_DIR_LOC_FILE) === NOT_IN_DIR_LOC_FILE) {
    if (cmd.path !== undefined) return `${name}${gt} cannot occur within directory context`;
    if (cmd.entry.contexts & EXEC_ON_READ) return undefined;
  }
  let found: string | undefined;
  if (
    (forbidden & NOT_IN_DIRECTORY && (found = findParent(cmd, DIRECTORY))) ||
    (forbidden & NOT_IN_LOCATION && (found = findParent(cmd, LOCATION))) ||
    (forbidden & NOT_IN_FILES && (found = findParent(cmd, FILES))) ||
    (forbidden & NOT_IN_PROXY && (found = findParent(cmd, PROXY)))
  ) {
    return `${name}${gt} cannot occur within ${found}> section`;
  }
  return undefined;
}
