import type { ModuleDef } from '../../directives/types.js';

/**
 * mod_authz_host.c: no directives; registers the `Require ip`, `host`, `forward-dns` and
 * `local` providers (see ../authz_core/providers.ts and ./providers.ts).
 */
export const authzHostModule: ModuleDef = {
  id: 'authz_host_module',
  file: 'mod_authz_host.c',
  directives: [],
};
