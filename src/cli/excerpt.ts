import { readFileSync } from 'node:fs';
import type { Loc } from '../config/ast.js';
import type { ConfigError } from '../util/diagnostics.js';
import { displayPath } from '../lint/format/paths.js';

/** The text of one physical line of a file (1-based), or undefined. */
export function sourceLine(file: string, line: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const l = lines[line - 1];
  return l === undefined ? undefined : l.replace(/\r$/, '');
}

/** A caret under `column` (1-based) of `text`, keeping tabs so it lines up. */
function caretLine(text: string, column: number): string {
  let col = column;
  if (col < 1 || col > text.length) {
    const first = text.search(/\S/);
    col = first < 0 ? 1 : first + 1;
  }
  return text.slice(0, col - 1).replace(/[^\t]/g, ' ') + '^';
}

/** `FILE:LINE:COL`, the source line and a caret: the part featherd prints after httpd's message. */
export function locationExcerpt(loc: Loc, cwd: string): string[] {
  const where = `${displayPath(loc.file, cwd)}:${loc.line}:${loc.column}`;
  const text = sourceLine(loc.file, loc.line);
  if (text === undefined) return [where];
  const num = String(loc.line);
  const gutter = ' '.repeat(num.length);
  return [where, ` ${num} | ${text}`, ` ${gutter} | ${caretLine(text, loc.column)}`];
}

/**
 * What featherd adds below httpd's error text: a blank line (so httpd's lines stay first and
 * intact), then the excerpt of the offending line and the hint, if any. Empty when there is
 * nothing to add.
 */
export function errorExtras(err: ConfigError, cwd: string): string {
  const lines: string[] = [];
  if (err.loc && err.loc.line > 0) lines.push(...locationExcerpt(err.loc, cwd));
  if (err.hint) lines.push(`hint: ${err.hint}`);
  return lines.length ? '\n' + lines.join('\n') + '\n' : '';
}
