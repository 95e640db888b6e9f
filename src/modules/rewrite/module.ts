import type { ModuleDef } from '../../directives/types.js';

/** mod_rewrite.c */
export const rewriteModule: ModuleDef = {
  id: 'rewrite_module',
  file: 'mod_rewrite.c',
  directives: [],
};
