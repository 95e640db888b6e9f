import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_ajp.c: AJP backends (not supported: ajp:// targets answer 500). */
export const proxyAjpModule: ModuleDef = {
  id: 'proxy_ajp_module',
  file: 'mod_proxy_ajp.c',
  requires: ['proxy_module'],
  directives: [],
};
