import type { ModuleDef } from '../../directives/types.js';
import { filterDirectives } from './directives.js';

/** mod_filter.c */
export const filterModule: ModuleDef = {
  id: 'filter_module',
  file: 'mod_filter.c',
  directives: filterDirectives,
};
