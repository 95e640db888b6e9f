import type { ModuleDef } from '../../directives/types.js';

/** mod_slotmem_shm.c */
export const slotmemShmModule: ModuleDef = {
  id: 'slotmem_shm_module',
  file: 'mod_slotmem_shm.c',
  directives: [],
};
