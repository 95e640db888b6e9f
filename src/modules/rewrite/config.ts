import type { Loc } from '../../config/ast.js';
import type { ParsedExpr } from '../authz_core/expr.js';

/** How a RewriteCond compares its expanded TestString. */
export type CondPatternType =
  | 'regex'
  | 'expr'
  | 'file' // -f
  | 'size' // -s
  | 'dir' // -d
  | 'exec' // -x
  | 'link' // -h, -l, -L
  | 'url-lookup' // -U
  | 'file-lookup' // -F
  | 'int-lt'
  | 'int-le'
  | 'int-gt'
  | 'int-ge'
  | 'int-eq'
  | 'str-lt'
  | 'str-le'
  | 'str-gt'
  | 'str-ge'
  | 'str-eq';

export interface RewriteCond {
  /** TestString as written (expanded per request). */
  input: string;
  /** CondPattern with its `!` and operator prefix removed. */
  pattern: string;
  type: CondPatternType;
  regex?: RegExp;
  expr?: ParsedExpr;
  negate: boolean;
  nocase: boolean;
  ornext: boolean;
  novary: boolean;
  loc: Loc;
}

export interface RewriteRuleFlags {
  chain: boolean;
  /** CO= values as written (`name:value:domain[:lifetime[:path[:secure[:httponly[:samesite]]]]]`). */
  cookies: string[];
  discardPathInfo: boolean;
  /** E= values as written (`VAR[:VAL]`, `!VAR`). */
  env: string[];
  end: boolean;
  /** H= */
  handler?: string;
  last: boolean;
  noEscape: boolean;
  next: boolean;
  /** N=limit (default 10000). */
  maxRounds: number;
  noSubreq: boolean;
  nocase: boolean;
  proxy: boolean;
  passThrough: boolean;
  qsAppend: boolean;
  qsDiscard: boolean;
  qsLast: boolean;
  /** R was given. */
  redirect: boolean;
  /** The response code: R=code, 403 for F, 410 for G, 302 by default. */
  status: number;
  /** F, G, or R with a non-3xx code: answer with `status` and stop (no substitution). */
  statusOnly: boolean;
  skip: number;
  /** T= */
  type?: string;
  /** B (optionally B=chars: the characters to escape). */
  escapeBackrefs: boolean;
  escapeChars?: string;
  /** BNE=chars: characters not to escape. */
  noEscapeChars?: string;
  escapeNoPlus: boolean;
  escapeCtls: boolean;
  unsafeAllow3F: boolean;
  unsafePrefixStat: boolean;
}

export interface RewriteRule {
  pattern: string;
  regex: RegExp;
  negate: boolean;
  /** Substitution, with a trailing `?` removed (see `qsNone`). */
  substitution: string;
  /** Substitution `-`: no rewriting. */
  noSub: boolean;
  /** Drop the query string (trailing `?`, or QSD without `?` in the substitution). */
  qsNone: boolean;
  flags: RewriteRuleFlags;
  conds: RewriteCond[];
  loc: Loc;
}

export type RewriteMapType = 'txt' | 'rnd' | 'dbm' | 'int' | 'prg' | 'dbd' | 'fastdbd';

export interface RewriteMapDef {
  name: string;
  type: RewriteMapType;
  /** Data file (txt, rnd, dbm), program argv (prg), query (dbd), function name (int). */
  source: string;
  argv?: string[];
  dbmType?: string;
  /** prg: `user[:group]` from the third argument. */
  user?: string;
  group?: string;
  loc: Loc;
}

export type RewriteOption =
  | 'inherit'
  | 'inheritbefore'
  | 'inheritdown'
  | 'inheritdownbefore'
  | 'ignoreinherit'
  | 'allownoslash'
  | 'allowanyuri'
  | 'mergebase'
  | 'ignorecontextinfo'
  | 'legacyprefixdocroot';

/** Per-server record of mod_rewrite. */
export interface RewriteServerConfig {
  engine?: boolean;
  options?: RewriteOption[];
  rules: RewriteRule[];
  maps: Map<string, RewriteMapDef>;
  /** RewriteCond lines waiting for their RewriteRule (config time). */
  pendingConds: RewriteCond[];
}

/** Per-directory record of mod_rewrite. */
export interface RewriteDirConfig {
  engine?: boolean;
  options?: RewriteOption[];
  base?: string;
  /** The section path the rules belong to (undefined for a server's defaults). */
  directory?: string;
  rules: RewriteRule[];
  pendingConds: RewriteCond[];
}

export function createRewriteServerConfig(): RewriteServerConfig {
  return { rules: [], maps: new Map(), pendingConds: [] };
}

export function createRewriteDirConfig(): RewriteDirConfig {
  return { rules: [], pendingConds: [] };
}

/** config_server_merge: a vhost inherits the main server's rules and maps only with Inherit(Before). */
export function mergeRewriteServerConfig(base: RewriteServerConfig, add: RewriteServerConfig): RewriteServerConfig {
  const options = add.options ?? base.options;
  const merged: RewriteServerConfig = { engine: add.engine ?? base.engine, options, rules: add.rules, maps: add.maps, pendingConds: [] };
  if (options?.includes('inheritbefore')) {
    merged.maps = new Map([...base.maps, ...add.maps]);
    merged.rules = [...base.rules, ...add.rules];
  } else if (options?.includes('inherit')) {
    merged.maps = new Map([...base.maps, ...add.maps]);
    merged.rules = [...add.rules, ...base.rules];
  }
  return merged;
}

/** config_perdir_merge. */
export function mergeRewriteDirConfig(base: RewriteDirConfig, add: RewriteDirConfig): RewriteDirConfig {
  const options = add.options ?? base.options;
  const merged: RewriteDirConfig = {
    engine: add.engine ?? base.engine,
    options,
    base: add.base ?? (options?.includes('mergebase') ? base.base : undefined),
    directory: add.directory,
    rules: add.rules,
    pendingConds: [],
  };
  if (options?.includes('inheritbefore')) merged.rules = [...base.rules, ...add.rules];
  else if (options?.includes('inherit')) merged.rules = [...add.rules, ...base.rules];
  return merged;
}
