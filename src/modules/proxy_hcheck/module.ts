import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_hcheck.c */
export const proxyHcheckModule: ModuleDef = {
  id: 'proxy_hcheck_module',
  file: 'mod_proxy_hcheck.c',
  directives: [],
};
