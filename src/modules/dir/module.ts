import type { ModuleDef } from '../../directives/types.js';

/** mod_dir.c */
export const dirModule: ModuleDef = {
  id: 'dir_module',
  file: 'mod_dir.c',
  directives: [],
};
