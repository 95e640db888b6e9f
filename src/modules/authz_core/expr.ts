/**
 * Config-time parsing of ap_expr expressions (`Require expr`, `Header … expr=`, `RewriteCond
 * expr`, string expressions in `Require host|user|group`, `AuthName`, …) with src/expr.
 */
import type { Cmd } from '../../directives/types.js';
import type { Expr } from '../../expr/index.js';
import { parseExpr, parseStringExpr as parseStringExpression } from '../../expr/index.js';
import { isLoaded } from './loaded.js';

/** A parsed expression and the text it came from. */
export type ParsedExpr = { kind: 'expr'; text: string; string: boolean; tree: Expr };

export type ExprResult = { ok: true; expr: ParsedExpr } | { ok: false; error: string };

const opts = (cmd?: Cmd) => ({ ssl: cmd ? isLoaded(cmd, 'ssl_module') : false });

/** Parse a boolean expression (httpd's ap_expr_parse_cmd without flags). */
export function parseBoolExpr(text: string, cmd?: Cmd): ExprResult {
  const r = parseExpr(text, opts(cmd));
  if (!r.ok) return { ok: false, error: r.error };
  return { ok: true, expr: { kind: 'expr', text, string: false, tree: r.value } };
}

/** Parse a string expression (AP_EXPR_FLAG_STRING_RESULT): literal text with %{…} parts. */
export function parseStringExpr(text: string, cmd?: Cmd): ExprResult {
  const r = parseStringExpression(text, opts(cmd));
  if (!r.ok) return { ok: false, error: r.error };
  return { ok: true, expr: { kind: 'expr', text, string: true, tree: r.value } };
}
