import type { ModuleDef } from '../../directives/types.js';

/** mod_ssl.c */
export const sslModule: ModuleDef = {
  id: 'ssl_module',
  file: 'mod_ssl.c',
  directives: [],
};
