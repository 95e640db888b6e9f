import type { Loc } from '../config/ast.js';

/**
 * Errors are values with a location until the edge (CLI exit code, HTTP status, log line).
 *
 * `phase` follows httpd: a `build` error is raised while the config is read (sections,
 * Include, Define, LoadModule, conditionals) and printed as
 *   `apache2: Syntax error on line N of FILE: MESSAGE`
 * with one `Syntax error on line N of FILE:` per Include level; a `walk` error is raised by a
 * directive handler and printed as
 *   `AH00526: Syntax error on line N of FILE:` + newline + MESSAGE.
 * `plain` errors have no line (e.g. "Could not open configuration file …"). A `startup` error
 * is printed as its message alone (e.g. `AH00014: Configuration check failed`).
 */
export interface ConfigError {
  phase: 'build' | 'walk' | 'plain' | 'cmdline' | 'startup';
  message: string;
  loc?: Loc;
  /** Include directives that led to `loc.file`, outermost first. */
  includedFrom?: Loc[];
  /** featherd's own advice, printed after httpd's message (e.g. "did you mean 'ProxyPass'?"). */
  hint?: string;
}

export type Severity = 'error' | 'warning' | 'note';

/** A lint finding or a warning httpd itself would log at startup. */
export interface Diagnostic {
  severity: Severity;
  /** Stable rule id, e.g. `proxypass-trailing-slash`, or `httpd` for warnings httpd itself prints. */
  rule: string;
  message: string;
  loc?: Loc;
  /** httpd's message id when httpd prints the same warning (e.g. `AH00111`). */
  code?: string;
}

export type Result<T, E = ConfigError> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E = ConfigError>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}
