import type { Loc } from '../../config/ast.js';
import type { ParsedExpr } from '../authz_core/expr.js';

export type HeaderAction = 'add' | 'set' | 'setifempty' | 'append' | 'merge' | 'unset' | 'echo' | 'note' | 'edit' | 'edit*';

/** One piece of a header value: literal text or a `%…` format tag. */
export type FormatPart =
  | { kind: 'text'; text: string }
  /** D: duration (µs), t: request time, e: env var, s: SSL var, l: load avg, i: idle workers, b: busy workers. */
  | { kind: 'tag'; tag: 'D' | 't' | 'e' | 's' | 'l' | 'i' | 'b'; arg: string };

/** A header value: format string, or `expr=…` string expression. */
export type HeaderValue = { kind: 'format'; parts: FormatPart[] } | { kind: 'expr'; expr: ParsedExpr };

/** When the action runs. */
export type HeaderCondition =
  | { kind: 'always' }
  | { kind: 'early' }
  | { kind: 'env'; name: string; negate: boolean }
  | { kind: 'expr'; expr: ParsedExpr };

/** One `Header` / `RequestHeader` line. */
export interface HeaderEntry {
  directive: 'Header' | 'RequestHeader';
  /** Header only: which response table (`onsuccess` = headers_out, `always` = err_headers_out). */
  table?: 'onsuccess' | 'always';
  action: HeaderAction;
  /** Header name (text after a `:` dropped, as httpd does); a regex source for `echo`. */
  header: string;
  /** The value (add/set/…), or the replacement (edit/edit*), or the note name (note). */
  value?: HeaderValue;
  /** edit/edit*: the match; echo: the header-name pattern. */
  regex?: RegExp;
  when: HeaderCondition;
  loc: Loc;
}

/** Per-directory (and per-server default) record of mod_headers. */
export interface HeadersDirConfig {
  /** RequestHeader entries. */
  request: HeaderEntry[];
  /** Header entries for r->headers_out (condition onsuccess, the default). */
  onsuccess: HeaderEntry[];
  /** Header entries for r->err_headers_out (condition always). */
  always: HeaderEntry[];
}

export function createHeadersDirConfig(): HeadersDirConfig {
  return { request: [], onsuccess: [], always: [] };
}

/** Entries accumulate from the less to the more specific context (httpd appends). */
export function mergeHeadersDirConfig(base: HeadersDirConfig, add: HeadersDirConfig): HeadersDirConfig {
  return {
    request: [...base.request, ...add.request],
    onsuccess: [...base.onsuccess, ...add.onsuccess],
    always: [...base.always, ...add.always],
  };
}
