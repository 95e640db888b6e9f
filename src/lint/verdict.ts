import type { Diagnostic } from '../util/diagnostics.js';

/**
 * featherd's own error-severity findings among a load's diagnostics: what it cannot serve as
 * httpd would (e.g. a RewriteMap type it has no implementation of). They fail the configtest and
 * the start, whether lint findings are shown or not.
 */
export function configErrors(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.rule !== 'httpd' && d.severity === 'error');
}
