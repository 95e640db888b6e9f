import type { ModuleDef } from '../../directives/types.js';

/** core.c */
export const coreModule: ModuleDef = {
  id: 'core_module',
  file: 'core.c',
  builtin: true,
  directives: [],
};
