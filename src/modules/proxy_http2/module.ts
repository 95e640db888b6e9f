import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_http2.c: h2 and h2c backends (not supported: h2:// targets answer 500). */
export const proxyHttp2Module: ModuleDef = {
  id: 'proxy_http2_module',
  file: 'mod_proxy_http2.c',
  requires: ['proxy_module'],
  directives: [],
};
