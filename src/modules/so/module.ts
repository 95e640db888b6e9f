import type { ModuleDef } from '../../directives/types.js';
import { soDirectives } from './directives.js';

/** mod_so.c */
export const soModule: ModuleDef = {
  id: 'so_module',
  file: 'mod_so.c',
  builtin: true,
  directives: soDirectives,
};
