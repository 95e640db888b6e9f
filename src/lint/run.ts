import type { ConfigTree } from '../config/ast.js';
import type { WalkState } from '../directives/types.js';
import type { Diagnostic } from '../util/diagnostics.js';
import { withRecords } from './records.js';
import { allRules } from './rules/index.js';
import type { LintRule } from './types.js';

/** Run lint rules (all by default) on a walked configuration; findings sorted by file order. */
export function runLint(state: WalkState, tree: ConfigTree, rules: LintRule[] = allRules): Diagnostic[] {
  const out: Diagnostic[] = [];
  withRecords(() => {
    for (const rule of rules) {
      for (const d of rule.check(state, tree)) out.push({ ...d, rule: d.rule || rule.id });
    }
  });
  return sortDiagnostics(out, tree.files);
}

/** Order by file (in reading order), then line and column; stable otherwise. */
export function sortDiagnostics(diags: Diagnostic[], files: string[]): Diagnostic[] {
  const fileRank = (f: string | undefined) => {
    if (f === undefined) return -1;
    const i = files.indexOf(f);
    return i < 0 ? files.length : i;
  };
  return diags
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        fileRank(a.d.loc?.file) - fileRank(b.d.loc?.file) ||
        (a.d.loc?.line ?? 0) - (b.d.loc?.line ?? 0) ||
        (a.d.loc?.column ?? 0) - (b.d.loc?.column ?? 0) ||
        a.i - b.i,
    )
    .map((x) => x.d);
}

/**
 * All of featherd's own findings for a configuration that loaded without error: those the
 * reader and the directive handlers reported (any rule but `httpd`) and those of the lint rules.
 */
export function lintFindings(loaded: { state: WalkState; tree: ConfigTree; diagnostics: Diagnostic[] }, rules: LintRule[] = allRules): Diagnostic[] {
  const own = loaded.diagnostics.filter((d) => d.rule !== 'httpd');
  return sortDiagnostics([...own, ...runLint(loaded.state, loaded.tree, rules)], loaded.tree.files);
}
