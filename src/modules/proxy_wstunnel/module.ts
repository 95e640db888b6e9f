import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_wstunnel.c */
export const proxyWstunnelModule: ModuleDef = {
  id: 'proxy_wstunnel_module',
  file: 'mod_proxy_wstunnel.c',
  directives: [],
};
