import type { ModuleDef } from '../../directives/types.js';
import { macroDirectives } from './directives.js';

/** mod_macro.c */
export const macroModule: ModuleDef = {
  id: 'macro_module',
  file: 'mod_macro.c',
  directives: macroDirectives,
};
