import type { ModuleDef } from '../../directives/types.js';

/** mod_logio.c */
export const logioModule: ModuleDef = {
  id: 'logio_module',
  file: 'mod_logio.c',
  builtin: true,
  directives: [],
};
