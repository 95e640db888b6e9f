/**
 * The parsed form of an ap_expr expression. Names are already resolved (unknown names are
 * parse errors, as in httpd), regexes compiled and -R / -ipmatch subnets parsed.
 */
import type { IpSubnet } from '../modules/authz_host/ipsubnet.js';
import type { BinaryOp, UnaryOp } from './lookup.js';

/** A string-valued node (bison's `word` / `string`). */
export type Word =
  /** A literal string (a quoted string's text, or a piece of a string expression). */
  | { kind: 'string'; value: string }
  /** An integer literal as written (`-5`, `10`). */
  | { kind: 'digit'; value: string }
  /** `a . b`, `'x%{Y}z'`: the pieces joined. */
  | { kind: 'concat'; parts: Word[] }
  /** `%{NAME}`; `name` is canonical (upper case, or as written for mod_ssl's SSL_*). */
  | { kind: 'var'; name: string }
  /** `name(arg)` or `%{name:arg}`; `name` is canonical lower case (`SSL` for mod_ssl). */
  | { kind: 'func'; name: string; arg: Word }
  /** `$0` … `$9`. */
  | { kind: 'backref'; n: number };

export type WordList = { kind: 'list'; items: Word[] } | { kind: 'listfunc'; name: string; arg: Word };

/** `-eq` … `-ge` compare as integers; `==` … `>=` as strings. */
export type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface RegexLiteral {
  /** The pattern as written between the delimiters. */
  source: string;
  icase: boolean;
  regex: RegExp;
  /** Whether the pattern has capture groups (httpd only updates $0…$9 then). */
  captures: boolean;
}

/** A boolean-valued node (bison's `expr` / `comparison`). */
export type Cond =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'not'; arg: Cond }
  | { kind: 'and'; left: Cond; right: Cond }
  | { kind: 'or'; left: Cond; right: Cond }
  | { kind: 'compare'; op: CompareOp; left: Word; right: Word }
  | { kind: 'match'; negate: boolean; left: Word; regex: RegexLiteral }
  | { kind: 'in'; left: Word; list: WordList }
  | { kind: 'unary'; op: UnaryOp; arg: Word; subnet?: IpSubnet }
  | { kind: 'binary'; op: BinaryOp; left: Word; right: Word; subnet?: IpSubnet };

/** A parsed expression: a condition (`parseExpr`) or a string (`parseStringExpr`). */
export type Expr = { type: 'bool'; source: string; root: Cond } | { type: 'string'; source: string; root: Word };
