import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_scgi.c */
export const proxyScgiModule: ModuleDef = {
  id: 'proxy_scgi_module',
  file: 'mod_proxy_scgi.c',
  directives: [],
};
