import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_uwsgi.c */
export const proxyUwsgiModule: ModuleDef = {
  id: 'proxy_uwsgi_module',
  file: 'mod_proxy_uwsgi.c',
  directives: [],
};
