import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_connect.c */
export const proxyConnectModule: ModuleDef = {
  id: 'proxy_connect_module',
  file: 'mod_proxy_connect.c',
  directives: [],
};
