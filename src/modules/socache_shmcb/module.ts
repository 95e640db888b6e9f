import type { ModuleDef } from '../../directives/types.js';

/** mod_socache_shmcb.c: a shared object cache (no directives). */
export const socacheShmcbModule: ModuleDef = {
  id: 'socache_shmcb_module',
  file: 'mod_socache_shmcb.c',
  directives: [],
};
