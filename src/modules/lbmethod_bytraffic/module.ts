import type { ModuleDef } from '../../directives/types.js';

/** mod_lbmethod_bytraffic.c: the bytraffic lbmethod. */
export const lbmethodBytrafficModule: ModuleDef = {
  id: 'lbmethod_bytraffic_module',
  file: 'mod_lbmethod_bytraffic.c',
  requires: ['proxy_balancer_module'],
  directives: [],
};
