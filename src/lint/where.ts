import type { Loc } from '../config/ast.js';
import { basename } from 'node:path';

/** `file:line` for a message that points at another line (the file's base name when both are in the same file). */
export function lineRef(loc: Loc, from?: Loc): string {
  const file = from && from.file === loc.file ? 'line' : `${basename(loc.file)}:`;
  return file === 'line' ? `line ${loc.line}` : `${file}${loc.line}`;
}
