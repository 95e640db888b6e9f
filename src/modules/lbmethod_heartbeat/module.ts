import type { ModuleDef } from '../../directives/types.js';

/** mod_lbmethod_heartbeat.c */
export const lbmethodHeartbeatModule: ModuleDef = {
  id: 'lbmethod_heartbeat_module',
  file: 'mod_lbmethod_heartbeat.c',
  directives: [],
};
