import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_balancer.c */
export const proxyBalancerModule: ModuleDef = {
  id: 'proxy_balancer_module',
  file: 'mod_proxy_balancer.c',
  directives: [],
};
