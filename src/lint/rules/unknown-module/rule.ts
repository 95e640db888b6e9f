import type { Diagnostic } from '../../../util/diagnostics.js';
import { directivesNamed } from '../../nodes.js';
import type { LintRule } from '../../types.js';

/**
 * `LoadModule` of a module featherd has no counterpart for: httpd would load the shared
 * object, featherd cannot, so whatever the module does is missing.
 */
export const unknownModule: LintRule = {
  id: 'unknown-module',
  description: 'LoadModule names a module featherd does not provide',
  check(state, tree) {
    const out: Diagnostic[] = [];
    for (const { node } of directivesNamed(tree.nodes, 'LoadModule')) {
      const id = node.args[0];
      if (!id || state.registry.moduleById(id)) continue;
      out.push({
        severity: 'warning',
        rule: 'unknown-module',
        message: `featherd does not provide ${id}: its directives are unknown and its features are missing`,
        loc: node.loc,
      });
    }
    return out;
  },
};
