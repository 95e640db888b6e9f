import type { Diagnostic } from '../../../util/diagnostics.js';
import { eachNode } from '../../nodes.js';
import type { LintRule } from '../../types.js';

/**
 * Directives featherd reads and checks like httpd but does not act on (their registry entry
 * says `support: 'ignored'`). One finding per directive name, at its first use.
 */
export const notHonoured: LintRule = {
  id: 'not-honoured',
  description: 'A directive featherd accepts for compatibility but ignores at run time',
  check(state, tree) {
    const loaded = new Set(tree.loadedModules);
    const seen = new Set<string>();
    const out: Diagnostic[] = [];
    // Names as written → whether they name an ignored directive (names repeat).
    const ignored = new Map<string, boolean>();
    eachNode(tree.nodes, (node) => {
      const written = node.kind === 'section' ? `<${node.name}` : node.name;
      if (ignored.get(written) === false) return;
      const lower = node.kind === 'section' ? `<${node.name.toLowerCase()}` : node.name.toLowerCase();
      if (seen.has(lower)) return;
      const found = state.registry
        .lookup(lower)
        .find((c) => loaded.has(c.module.id) || c.module.builtin);
      ignored.set(written, found?.entry.support === 'ignored');
      if (!found || found.entry.support !== 'ignored') return;
      seen.add(lower);
      const name = found.entry.name.startsWith('<') ? `${found.entry.name}>` : found.entry.name;
      out.push({
        severity: 'warning',
        rule: 'not-honoured',
        message: `${name} is accepted but has no effect in featherd${found.entry.note ? `: ${found.entry.note}` : ''}`,
        loc: node.loc,
      });
    });
    return out;
  },
};
