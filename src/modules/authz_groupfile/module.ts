import type { ModuleDef } from '../../directives/types.js';

/** mod_authz_groupfile.c */
export const authzGroupfileModule: ModuleDef = {
  id: 'authz_groupfile_module',
  file: 'mod_authz_groupfile.c',
  directives: [],
};
