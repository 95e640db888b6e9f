import type { ModuleDef } from '../../directives/types.js';

/** mod_mime.c */
export const mimeModule: ModuleDef = {
  id: 'mime_module',
  file: 'mod_mime.c',
  directives: [],
};
