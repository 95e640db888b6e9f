import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_fcgi.c */
export const proxyFcgiModule: ModuleDef = {
  id: 'proxy_fcgi_module',
  file: 'mod_proxy_fcgi.c',
  directives: [],
};
