import type { ModuleDef } from '../../directives/types.js';
import { autoindexDirectives } from './directives.js';

/** mod_autoindex.c */
export const autoindexModule: ModuleDef = {
  id: 'autoindex_module',
  file: 'mod_autoindex.c',
  directives: autoindexDirectives,
};
