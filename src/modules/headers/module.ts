import type { ModuleDef } from '../../directives/types.js';

/** mod_headers.c */
export const headersModule: ModuleDef = {
  id: 'headers_module',
  file: 'mod_headers.c',
  directives: [],
};
