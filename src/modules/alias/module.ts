import type { ModuleDef } from '../../directives/types.js';

/** mod_alias.c */
export const aliasModule: ModuleDef = {
  id: 'alias_module',
  file: 'mod_alias.c',
  directives: [],
};
