import type { ModuleDef } from '../../directives/types.js';

/** mod_access_compat.c */
export const accessCompatModule: ModuleDef = {
  id: 'access_compat_module',
  file: 'mod_access_compat.c',
  directives: [],
};
