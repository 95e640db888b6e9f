import type { LintRule } from '../../types.js';

/**
 * `LoadModule` of a module featherd has no counterpart for: httpd would load the shared object,
 * featherd cannot, so its directives are unknown and its features missing.
 *
 * LoadModule is carried out while the configuration is read and leaves no node in the tree, so
 * the reader reports these findings itself under this rule's id (src/config/reader.ts); this
 * entry describes the rule and holds its examples.
 */
export const unknownModule: LintRule = {
  id: 'unknown-module',
  description: 'LoadModule names a module featherd does not provide',
  check() {
    return [];
  },
};
