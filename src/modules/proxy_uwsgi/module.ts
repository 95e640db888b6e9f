import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_uwsgi.c: uwsgi backends (not supported: uwsgi:// targets answer 500). */
export const proxyUwsgiModule: ModuleDef = {
  id: 'proxy_uwsgi_module',
  file: 'mod_proxy_uwsgi.c',
  requires: ['proxy_module'],
  directives: [],
};
