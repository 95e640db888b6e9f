import type { ModuleDef } from '../../directives/types.js';
import { unixdDirectives } from './directives.js';

/** mod_unixd.c */
export const unixdModule: ModuleDef = {
  id: 'unixd_module',
  file: 'mod_unixd.c',
  builtin: true,
  directives: unixdDirectives,
};
