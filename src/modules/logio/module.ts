import type { ModuleDef } from '../../directives/types.js';
import { logioDirectives } from './directives.js';

/** mod_logio.c */
export const logioModule: ModuleDef = {
  id: 'logio_module',
  file: 'mod_logio.c',
  builtin: true,
  directives: logioDirectives,
};
