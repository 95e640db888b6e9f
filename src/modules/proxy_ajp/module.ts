import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy_ajp.c */
export const proxyAjpModule: ModuleDef = {
  id: 'proxy_ajp_module',
  file: 'mod_proxy_ajp.c',
  directives: [],
};
