import type { ModuleDef } from '../../directives/types.js';

/** mod_http2.c */
export const http2Module: ModuleDef = {
  id: 'http2_module',
  file: 'mod_http2.c',
  directives: [],
};
