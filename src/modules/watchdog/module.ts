import type { ModuleDef } from '../../directives/types.js';

/** mod_watchdog.c */
export const watchdogModule: ModuleDef = {
  id: 'watchdog_module',
  file: 'mod_watchdog.c',
  builtin: true,
  directives: [],
};
