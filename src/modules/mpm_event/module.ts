import type { ModuleDef } from '../../directives/types.js';
import { mpmEventDirectives } from './directives.js';

/** event.c */
export const mpmEventModule: ModuleDef = {
  id: 'mpm_event_module',
  file: 'event.c',
  directives: mpmEventDirectives,
};
