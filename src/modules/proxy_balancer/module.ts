import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_balancer.c: balancer:// targets (configured with BalancerMember, ProxySet and ProxyPass parameters of mod_proxy). */
export const proxyBalancerModule: ModuleDef = {
  id: 'proxy_balancer_module',
  file: 'mod_proxy_balancer.c',
  requires: ['proxy_module'],
  directives: [],
};
