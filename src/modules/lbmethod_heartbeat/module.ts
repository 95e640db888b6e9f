import type { ModuleDef } from '../../directives/types.js';
import { GLOBAL_ONLY, RSRC_CONF } from '../../directives/types.js';

/** mod_lbmethod_heartbeat.c: the `heartbeat` lbmethod (members weighted by the free slots in the heartbeat storage file). */
export const lbmethodHeartbeatModule: ModuleDef = {
  id: 'lbmethod_heartbeat_module',
  file: 'mod_lbmethod_heartbeat.c',
  requires: ['proxy_balancer_module'],
  directives: [
    {
      name: 'HeartbeatStorage', args: 'TAKE1', contexts: RSRC_CONF, support: 'ignored',
      note: 'featherd reads the heartbeat data from logs/hb.dat under the ServerRoot (mod_heartmonitor writes none here)',
      help: 'Path to read heartbeat data.',
      handler: (cmd) => cmd.checkContext(GLOBAL_ONLY),
    },
  ],
};
