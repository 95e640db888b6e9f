import type { ModuleDef } from '../../directives/types.js';

/** mod_lbmethod_bybusyness.c: the bybusyness lbmethod. */
export const lbmethodBybusynessModule: ModuleDef = {
  id: 'lbmethod_bybusyness_module',
  file: 'mod_lbmethod_bybusyness.c',
  requires: ['proxy_balancer_module'],
  directives: [],
};
