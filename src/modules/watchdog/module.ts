import type { ModuleDef } from '../../directives/types.js';
import { watchdogDirectives } from './directives.js';

/** mod_watchdog.c */
export const watchdogModule: ModuleDef = {
  id: 'watchdog_module',
  file: 'mod_watchdog.c',
  builtin: true,
  directives: watchdogDirectives,
};
