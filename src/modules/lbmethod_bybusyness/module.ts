import type { ModuleDef } from '../../directives/types.js';

/** mod_lbmethod_bybusyness.c */
export const lbmethodBybusynessModule: ModuleDef = {
  id: 'lbmethod_bybusyness_module',
  file: 'mod_lbmethod_bybusyness.c',
  directives: [],
};
