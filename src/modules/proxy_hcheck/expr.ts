/**
 * Checking ProxyHCExpr expressions. featherd's ap_expr parser plugs in here with
 * setExprValidator; until one is installed every expression is accepted as written.
 */

/** Returns the parser's error text for an invalid expression, or undefined. */
export type ExprValidator = (text: string) => string | undefined;

let validator: ExprValidator = () => undefined;

export function setExprValidator(v: ExprValidator): void {
  validator = v;
}

export function validateExpr(text: string): string | undefined {
  return validator(text);
}
