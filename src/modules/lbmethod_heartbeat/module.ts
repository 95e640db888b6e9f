import type { ModuleDef } from '../../directives/types.js';
import { GLOBAL_ONLY, RSRC_CONF } from '../../directives/types.js';

/** mod_lbmethod_heartbeat.c: the `heartbeat` lbmethod (accepted; balancers using it pick members as byrequests). */
export const lbmethodHeartbeatModule: ModuleDef = {
  id: 'lbmethod_heartbeat_module',
  file: 'mod_lbmethod_heartbeat.c',
  requires: ['proxy_balancer_module'],
  directives: [
    {
      name: 'HeartbeatStorage', args: 'TAKE1', contexts: RSRC_CONF, support: 'ignored',
      note: 'featherd reads no mod_heartmonitor data',
      help: 'Path to read heartbeat data.',
      handler: (cmd) => cmd.checkContext(GLOBAL_ONLY),
    },
  ],
};
