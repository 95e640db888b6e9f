import type { ModuleDef } from '../../directives/types.js';

/** mod_slotmem_shm.c: shared memory for balancer state (featherd keeps it in process). */
export const slotmemShmModule: ModuleDef = {
  id: 'slotmem_shm_module',
  file: 'mod_slotmem_shm.c',
  directives: [],
};
