import type { ModuleDef } from '../../directives/types.js';
import { infoDirectives } from './directives.js';

/** mod_info.c */
export const infoModule: ModuleDef = {
  id: 'info_module',
  file: 'mod_info.c',
  directives: infoDirectives,
};
