import type { ModuleDef } from '../../directives/types.js';

/** mod_env.c */
export const envModule: ModuleDef = {
  id: 'env_module',
  file: 'mod_env.c',
  directives: [],
};
