import type { Diagnostic } from '../../util/diagnostics.js';
import { displayPath } from './paths.js';

/** `FILE:LINE:COL: warning: MESSAGE [rule-id]`, one line per finding (for stderr). */
export function formatText(diags: Diagnostic[], cwd: string): string {
  let out = '';
  for (const d of diags) {
    const where = d.loc ? `${displayPath(d.loc.file, cwd)}:${d.loc.line}:${d.loc.column}: ` : '';
    out += `${where}${d.severity}: ${d.message} [${d.rule}]\n`;
  }
  return out;
}
