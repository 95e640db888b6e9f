import type { ModuleDef } from '../../directives/types.js';

/** mod_lbmethod_byrequests.c: the byrequests lbmethod. */
export const lbmethodByrequestsModule: ModuleDef = {
  id: 'lbmethod_byrequests_module',
  file: 'mod_lbmethod_byrequests.c',
  requires: ['proxy_balancer_module'],
  directives: [],
};
