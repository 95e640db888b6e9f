import type { ModuleDef } from '../../directives/types.js';

/** prefork.c */
export const mpmPreforkModule: ModuleDef = {
  id: 'mpm_prefork_module',
  file: 'prefork.c',
  directives: [],
};
