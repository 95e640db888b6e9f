import type { ModuleDef } from '../../directives/types.js';

/** mod_authz_user.c: no directives; registers the `Require user` and `valid-user` providers. */
export const authzUserModule: ModuleDef = {
  id: 'authz_user_module',
  file: 'mod_authz_user.c',
  directives: [],
};
