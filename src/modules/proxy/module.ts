import type { ModuleDef } from '../../directives/types.js';

/** mod_proxy.c */
export const proxyModule: ModuleDef = {
  id: 'proxy_module',
  file: 'mod_proxy.c',
  directives: [],
};
