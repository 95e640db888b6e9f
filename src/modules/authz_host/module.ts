import type { ModuleDef } from '../../directives/types.js';

/** mod_authz_host.c */
export const authzHostModule: ModuleDef = {
  id: 'authz_host_module',
  file: 'mod_authz_host.c',
  directives: [],
};
