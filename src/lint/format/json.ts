import type { ConfigError, Diagnostic } from '../../util/diagnostics.js';
import { configErrors } from '../verdict.js';
import { displayPath } from './paths.js';

export interface JsonFinding {
  rule: string;
  severity: Diagnostic['severity'];
  message: string;
  code?: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface JsonReport {
  /** `ok` when the configtest passes: httpd would print Syntax OK and featherd has no error of its own. */
  verdict: 'ok' | 'error';
  /** The configuration error, when the verdict is `error`. */
  error?: { message: string; hint?: string; file?: string; line?: number; column?: number };
  findings: JsonFinding[];
}

/** The machine-readable report (for stdout). */
export function formatJson(diags: Diagnostic[], error: ConfigError | undefined, cwd: string): string {
  const report: JsonReport = {
    verdict: error || configErrors(diags).length > 0 ? 'error' : 'ok',
    findings: diags.map((d) => {
      const f: JsonFinding = { rule: d.rule, severity: d.severity, message: d.message };
      if (d.code) f.code = d.code;
      if (d.loc) Object.assign(f, { file: displayPath(d.loc.file, cwd), line: d.loc.line, column: d.loc.column });
      return f;
    }),
  };
  if (error) {
    report.error = { message: error.message };
    if (error.hint) report.error.hint = error.hint;
    if (error.loc) Object.assign(report.error, { file: displayPath(error.loc.file, cwd), line: error.loc.line, column: error.loc.column });
  }
  return JSON.stringify(report, null, 2) + '\n';
}
