/**
 * Config-time parsing of ap_expr expressions (`Require expr`, `Header … expr=`, `RewriteCond
 * expr`, string expressions in `Require host|user|group`, `AuthName`, …).
 *
 * The expression language lives in src/expr; until it is available every expression is
 * accepted except the empty one (httpd: "syntax error, unexpected $end").
 */

/** A parsed expression, as the expression module returns it. */
export type ParsedExpr = { kind: 'expr'; text: string; string: boolean; tree?: unknown };

export type ExprResult = { ok: true; expr: ParsedExpr } | { ok: false; error: string };

/** Parse a boolean expression. */
export function parseBoolExpr(text: string): ExprResult {
  if (text.trim() === '') return { ok: false, error: 'syntax error, unexpected $end' };
  return { ok: true, expr: { kind: 'expr', text, string: false } };
}

/** Parse a string expression (AP_EXPR_FLAG_STRING_RESULT): literal text with %{…} parts. */
export function parseStringExpr(text: string): ExprResult {
  return { ok: true, expr: { kind: 'expr', text, string: true } };
}
