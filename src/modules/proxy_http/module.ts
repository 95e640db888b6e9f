import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_http.c */
export const proxyHttpModule: ModuleDef = {
  id: 'proxy_http_module',
  file: 'mod_proxy_http.c',
  directives: [],
};
