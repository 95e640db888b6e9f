import type { ModuleDef } from '../../directives/types.js';

/** mod_setenvif.c */
export const setenvifModule: ModuleDef = {
  id: 'setenvif_module',
  file: 'mod_setenvif.c',
  directives: [],
};
