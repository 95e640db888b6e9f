import type { ModuleDef } from '../../directives/types.js';

/** mod_status.c */
export const statusModule: ModuleDef = {
  id: 'status_module',
  file: 'mod_status.c',
  directives: [],
};
