import type { ModuleDef } from '../../directives/types.js';

/** mod_authn_file.c */
export const authnFileModule: ModuleDef = {
  id: 'authn_file_module',
  file: 'mod_authn_file.c',
  directives: [],
};
