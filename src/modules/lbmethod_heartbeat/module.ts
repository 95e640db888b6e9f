import type { ModuleDef } from '../../directives/types.js';
import { GLOBAL_ONLY, RSRC_CONF } from '../../directives/types.js';

/** HeartbeatStorage as written (relative paths are under the ServerRoot's `logs/`, httpd's runtime directory). */
export interface HeartbeatServerConfig {
  storage?: string;
}

/** mod_lbmethod_heartbeat.c: the `heartbeat` lbmethod (members weighted by the free slots in the heartbeat storage file). */
export const lbmethodHeartbeatModule: ModuleDef<HeartbeatServerConfig, unknown> = {
  id: 'lbmethod_heartbeat_module',
  file: 'mod_lbmethod_heartbeat.c',
  requires: ['proxy_balancer_module'],
  createServerConfig: () => ({}),
  directives: [
    {
      name: 'HeartbeatStorage', args: 'TAKE1', contexts: RSRC_CONF, support: 'partial',
      note: 'relative paths are taken under ServerRoot/logs (httpd: the DefaultRuntimeDir); the file is written by mod_heartmonitor, which featherd does not run',
      help: 'Path to read heartbeat data.',
      handler: (cmd, [path]) => {
        const err = cmd.checkContext(GLOBAL_ONLY);
        if (err) return err;
        cmd.serverConfig(lbmethodHeartbeatModule).storage = path;
        return undefined;
      },
    },
  ],
};
