/**
 * Expressions with what Apache httpd 2.4.71 (`apache2 -t`) printed for them, in
 * testdata/apache-2.4.71.json: `<If "EXPR">` for boolean expressions, mod_log_debug's
 * `LogMessage "EXPR"` for string expressions. Used by the tests.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ApacheCase {
  mode: 'bool' | 'string';
  expr: string;
  /** Apache's output line (`(ok)` for Syntax OK). */
  apache: string;
}

const here = dirname(fileURLToPath(import.meta.url));

export function loadApacheCases(): ApacheCase[] {
  return JSON.parse(readFileSync(join(here, 'testdata', 'apache-2.4.71.json'), 'utf8')) as ApacheCase[];
}

/** The expression as a double-quoted config word (ap_getword_conf escapes). */
export function configQuote(expr: string): string {
  return `"${expr.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The directive that carries the expression in a test config. */
export function configFor(c: Pick<ApacheCase, 'mode' | 'expr'>): string {
  return c.mode === 'bool'
    ? `<If ${configQuote(c.expr)}>\n</If>\n`
    : `LoadModule log_debug_module /usr/lib/apache2/modules/mod_log_debug.so\nLogMessage ${configQuote(c.expr)}\n`;
}

/** What featherd should say, in the same form as Apache's output line. */
export function apacheLine(c: Pick<ApacheCase, 'mode' | 'expr'>, result: { ok: true } | { ok: false; error: string }): string {
  if (result.ok) return '(ok)';
  if (result.error === 'flex scanner jammed') return result.error;
  if (c.mode === 'bool') return `Cannot parse condition clause: ${result.error}`;
  return `Could not parse message expression '${configQuote(c.expr).slice(1, -1)}': ${result.error}`;
}
