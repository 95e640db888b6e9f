import type { ModuleDef } from '../../directives/types.js';

/** mod_authz_core.c */
export const authzCoreModule: ModuleDef = {
  id: 'authz_core_module',
  file: 'mod_authz_core.c',
  directives: [],
};
