import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_FILEINFO } from '../../directives/types.js';
import { parseBoolExpr, parseStringExpr } from '../authz_core/expr.js';
import { getWordConf } from '../authz_core/words.js';
import { compileRegex } from '../core/regex.js';
import type { HeaderAction, HeaderCondition, HeaderEntry, HeadersDirConfig, HeaderValue } from './config.js';
import { createHeadersDirConfig, mergeHeadersDirConfig } from './config.js';
import { parseHeaderFormat } from './format.js';

const ACTIONS: HeaderAction[] = ['set', 'setifempty', 'add', 'append', 'merge', 'unset', 'echo', 'edit', 'edit*', 'note'];

/** mod_headers.c */
export const headersModule: ModuleDef<unknown, HeadersDirConfig> = {
  id: 'headers_module',
  file: 'mod_headers.c',
  createDirConfig: createHeadersDirConfig,
  mergeDirConfig: mergeHeadersDirConfig,
  directives: [],
};

function parseValue(cmd: Cmd, action: HeaderAction, value: string | undefined, subs: string | undefined): HeaderValue | string | undefined {
  if (action === 'unset' || action === 'echo') return undefined;
  const s = action === 'edit' || action === 'edit*' ? subs : value;
  if (s === undefined) return undefined;
  if (s.startsWith('expr=')) {
    const r = parseStringExpr(s.slice(5), cmd);
    if (!r.ok) return `Can't parse value expression : ${r.error}`;
    return { kind: 'expr', expr: r.expr };
  }
  const f = parseHeaderFormat(s);
  if ('error' in f) return f.error;
  return { kind: 'format', parts: f.parts };
}

/** header_cmd + header_inout_cmd. */
function headerCmd(cmd: Cmd, _args: string[], raw: string): string | undefined {
  const isRequest = cmd.entry.name === 'RequestHeader';
  let rest = raw;
  const next = (): string | undefined => {
    if (rest === '') return undefined;
    const r = getWordConf(rest);
    rest = r.rest;
    return r.word;
  };
  let action = next() ?? '';
  let table: 'onsuccess' | 'always' = 'onsuccess';
  if (!isRequest) {
    if (action.toLowerCase() === 'always') {
      table = 'always';
      action = next() ?? '';
    } else if (action.toLowerCase() === 'onsuccess') {
      action = next() ?? '';
    }
  }
  const hdrWord = next() ?? '';
  let value = next();
  const subs = next();
  let envclause = next();
  if (rest !== '') return `${cmd.entry.name} has too many arguments`;

  const act = ACTIONS.find((a) => a === action.toLowerCase());
  if (!act) {
    return "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'.";
  }
  if (act === 'note' && isRequest) return "RequestHeader does not support the 'note' action";
  let regex: RegExp | undefined;
  if (act === 'edit' || act === 'edit*') {
    if (subs === undefined) return 'Header edit requires a match and a substitution';
    const r = compileRegex(value ?? '');
    if (!r) return 'Header edit regex could not be compiled';
    regex = r.regex;
  } else {
    if (envclause !== undefined) return 'Too many arguments to directive';
    envclause = subs;
  }
  if (act === 'unset') {
    if (value !== undefined) {
      if (envclause !== undefined) return 'header unset takes two arguments';
      envclause = value;
      value = undefined;
    }
  } else if (act === 'echo') {
    if (value !== undefined) {
      if (envclause !== undefined) return 'Header echo takes two arguments';
      envclause = value;
      value = undefined;
    }
    if (isRequest) return 'Header echo only valid on Header directives';
    const r = compileRegex(hdrWord);
    if (!r) return 'Header echo regex could not be compiled';
    regex = r.regex;
  } else if (value === undefined) {
    return 'Header requires three arguments';
  }

  let when: HeaderCondition = { kind: 'always' };
  if (envclause !== undefined) {
    const lower = envclause.toLowerCase();
    if (lower === 'early') when = { kind: 'early' };
    else if (lower.startsWith('env=')) {
      const v = envclause.slice(4);
      if (v === '' || v === '!') return 'error: missing environment variable name. envclause should be in the form env=envar ';
      when = v.startsWith('!') ? { kind: 'env', name: v.slice(1), negate: true } : { kind: 'env', name: v, negate: false };
    } else if (lower.startsWith('expr=')) {
      const r = parseBoolExpr(envclause.slice(5), cmd);
      if (!r.ok) return `Can't parse envclause/expression: ${r.error}`;
      when = { kind: 'expr', expr: r.expr };
    } else {
      return `Unknown parameter: ${envclause}`;
    }
  }
  const colon = hdrWord.indexOf(':');
  const header = colon >= 0 ? hdrWord.slice(0, colon) : hdrWord;
  const parsed = parseValue(cmd, act, value, subs);
  if (typeof parsed === 'string') return parsed;
  const entry: HeaderEntry = { directive: isRequest ? 'RequestHeader' : 'Header', action: act, header, when, loc: cmd.node.loc };
  if (!isRequest) entry.table = table;
  if (parsed) entry.value = parsed;
  if (regex) entry.regex = regex;
  const conf = cmd.dirConfig(headersModule);
  (isRequest ? conf.request : table === 'always' ? conf.always : conf.onsuccess).push(entry);
  return undefined;
}

headersModule.directives.push(
  {
    name: 'Header',
    args: 'RAW_ARGS',
    contexts: OR_FILEINFO,
    help: 'an optional condition, an action, header and value followed by optional env clause',
    support: 'yes',
    handler: headerCmd,
  },
  {
    name: 'RequestHeader',
    args: 'RAW_ARGS',
    contexts: OR_FILEINFO,
    help: 'an action, header and value followed by optional env clause',
    support: 'yes',
    handler: headerCmd,
  },
);

/** The mod_headers record of one per-directory config set (or a server's defaults). */
export function headersConfig(dirConfigs: Map<ModuleDef, unknown>): HeadersDirConfig | undefined {
  return dirConfigs.get(headersModule as ModuleDef) as HeadersDirConfig | undefined;
}
