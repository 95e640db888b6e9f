import type { ModuleDef } from '../../directives/types.js';

/** mod_authn_core.c */
export const authnCoreModule: ModuleDef = {
  id: 'authn_core_module',
  file: 'mod_authn_core.c',
  directives: [],
};
