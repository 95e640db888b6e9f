/**
 * Checking the ap_expr expressions of ProxyHCExpr (and ProxyFCGISetEnvIf) with featherd's
 * expression parser. While mod_proxy_hcheck is loaded httpd also knows its `%{HC_…}` variables
 * and its `hc()` function; they are checked here as a request variable and a string function.
 */
import { parseExpr, parseStringExpr } from '../../expr/index.js';

/** httpd's parse error for `text`, or undefined when it parses. */
export function validateExpr(text: string, opts: { stringResult?: boolean; hcheck?: boolean } = {}): string | undefined {
  const src = opts.hcheck ? text.replace(/%\{HC_[^}]*\}/gi, '%{REQUEST_URI}').replace(/\bhc(\s*\()/gi, 'tolower$1') : text;
  const r = opts.stringResult ? parseStringExpr(src) : parseExpr(src);
  return r.ok ? undefined : r.error;
}
