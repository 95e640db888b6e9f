import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_http.c: HTTP and HTTPS backends (no directives of its own). */
export const proxyHttpModule: ModuleDef = {
  id: 'proxy_http_module',
  file: 'mod_proxy_http.c',
  requires: ['proxy_module'],
  directives: [],
};
