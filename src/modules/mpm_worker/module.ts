import type { ModuleDef } from '../../directives/types.js';
import { mpmWorkerDirectives } from './directives.js';

/** worker.c */
export const mpmWorkerModule: ModuleDef = {
  id: 'mpm_worker_module',
  file: 'worker.c',
  directives: mpmWorkerDirectives,
};
