import type { ModuleDef } from '../../directives/types.js';

/** mod_remoteip.c */
export const remoteipModule: ModuleDef = {
  id: 'remoteip_module',
  file: 'mod_remoteip.c',
  directives: [],
};
