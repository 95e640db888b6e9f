import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_http2.c */
export const proxyHttp2Module: ModuleDef = {
  id: 'proxy_http2_module',
  file: 'mod_proxy_http2.c',
  directives: [],
};
