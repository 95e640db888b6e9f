import type { ModuleDef } from '../../directives/types.js';

/** mod_log_config.c */
export const logConfigModule: ModuleDef = {
  id: 'log_config_module',
  file: 'mod_log_config.c',
  builtin: true,
  directives: [],
};
