import type { ModuleDef } from '../../directives/types.js';

/** mod_lbmethod_byrequests.c */
export const lbmethodByrequestsModule: ModuleDef = {
  id: 'lbmethod_byrequests_module',
  file: 'mod_lbmethod_byrequests.c',
  directives: [],
};
