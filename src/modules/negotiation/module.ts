import type { ModuleDef } from '../../directives/types.js';
import { negotiationDirectives } from './directives.js';

/** mod_negotiation.c */
export const negotiationModule: ModuleDef = {
  id: 'negotiation_module',
  file: 'mod_negotiation.c',
  directives: negotiationDirectives,
};
