import type { ModuleDef } from '../../directives/types.js';

/** mod_auth_basic.c */
export const authBasicModule: ModuleDef = {
  id: 'auth_basic_module',
  file: 'mod_auth_basic.c',
  directives: [],
};
