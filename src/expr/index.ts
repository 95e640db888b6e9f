/**
 * httpd's expression language (ap_expr), as in httpd 2.4.
 *
 *   const r = parseExpr("%{REQUEST_URI} =~ m#^/api/(.*)# && -R '10.0.0.0/8'");
 *   if (!r.ok) return `Cannot parse condition clause: ${r.error}`;   // <If>'s wording
 *   const state = newEvalState();
 *   if (evalCondition(r.value, ctx, state)) … ;   // state.error, state.vary, state.captures
 *
 * Parsing resolves every name (unknown variables, functions and operators are errors, as in
 * httpd) and reproduces httpd's error texts, including bison's
 * `syntax error, unexpected …, expecting …`. `EXPR_SCANNER_JAMMED` is the one fatal case
 * (httpd prints it alone and exits). Evaluation never throws.
 */
export { parseExpr, parseStringExpr, EXPR_SCANNER_JAMMED } from './parser.js';
export { evalCondition, evalString, newEvalState } from './eval.js';
export type { ExprContext, EvalState, FileInfo, Captures } from './eval.js';
export type { Expr, Cond, Word, WordList, CompareOp, RegexLiteral } from './ast.js';
export type { ParseOptions } from './lookup.js';
export { HEADER_VARS, REQUEST_VARS, CONN_VARS, MISC_VARS } from './lookup.js';
