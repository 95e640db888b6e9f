import type { ConfigTree } from '../config/ast.js';
import type { WalkState } from '../directives/types.js';
import type { Diagnostic } from '../util/diagnostics.js';

/**
 * A lint rule: advice about a configuration httpd accepts but that probably does not do what
 * its author meant. Findings never change configtest's verdict.
 *
 * Each rule lives in src/lint/rules/<id>/ with its rule.ts and an examples/ folder of
 * good-*.conf (no finding) and bad-*.conf (a finding at each line named by `# expect: N`).
 */
export interface LintRule {
  /** Stable id, used in output (`[proxypass-trailing-slash]`) and SARIF. */
  id: string;
  /** One sentence: what the rule looks for. */
  description: string;
  /** Run on a configuration that was read and walked without error. */
  check(state: WalkState, tree: ConfigTree): Diagnostic[];
}
