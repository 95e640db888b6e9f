import type { Loc } from '../../config/ast.js';
import type { Expr } from '../../expr/index.js';

/** Alias, ScriptAlias, AliasMatch, ScriptAliasMatch. */
export interface AliasEntry {
  /** URL path or regex source. */
  fake: string;
  /** File path (may contain $1… for the Match forms). */
  real: string;
  regex?: RegExp;
  /** ScriptAlias*: the target is run as CGI. */
  script: boolean;
  loc: Loc;
}

/** Redirect, RedirectMatch, RedirectTemp, RedirectPermanent. */
export interface RedirectEntry {
  /** URL path or regex source; undefined for the one-argument form inside `<Location>`. */
  fake?: string;
  regex?: RegExp;
  /** Target; undefined for non-3xx statuses (e.g. 410 Gone). */
  url?: string;
  /** For the one-argument form inside `<Location>`: `url` parsed as an ap_expr string expression. */
  expr?: Expr;
  status: number;
  loc: Loc;
}

export interface AliasServerConfig {
  aliases: AliasEntry[];
  redirects: RedirectEntry[];
}

export interface AliasDirConfig {
  redirects: RedirectEntry[];
  /** One-argument `Alias path` inside `<Location>`: the location maps to this path. */
  alias?: { real: string; script: boolean; expr: Expr };
  redirectRelative?: boolean;
  aliasPreservePath?: boolean;
}

export function createAliasServerConfig(): AliasServerConfig {
  return { aliases: [], redirects: [] };
}

export function createAliasDirConfig(): AliasDirConfig {
  return { redirects: [] };
}
