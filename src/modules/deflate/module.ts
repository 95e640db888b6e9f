import type { ModuleDef } from '../../directives/types.js';
import { deflateDirectives } from './directives.js';

/** mod_deflate.c */
export const deflateModule: ModuleDef = {
  id: 'deflate_module',
  file: 'mod_deflate.c',
  directives: deflateDirectives,
};
