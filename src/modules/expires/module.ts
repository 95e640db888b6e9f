import type { ModuleDef } from '../../directives/types.js';
import { expiresDirectives } from './directives.js';

/** mod_expires.c */
export const expiresModule: ModuleDef = {
  id: 'expires_module',
  file: 'mod_expires.c',
  directives: expiresDirectives,
};
