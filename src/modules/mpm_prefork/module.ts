import type { ModuleDef } from '../../directives/types.js';
import { mpmPreforkDirectives } from './directives.js';

/** prefork.c */
export const mpmPreforkModule: ModuleDef = {
  id: 'mpm_prefork_module',
  file: 'prefork.c',
  directives: mpmPreforkDirectives,
};
