import type { Loc } from '../../config/ast.js';
import type { Cmd, ModuleDef, ServerRec } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { strtol } from '../proxy/cstr.js';

/** AllowCONNECT ports; empty means httpd's default (443 and 563). */
export interface ConnectServerConfig {
  ports: { first: number; last: number; loc: Loc }[];
}

const create = (): ConnectServerConfig => ({ ports: [] });

/** set_allowed_ports: `port` or `first-last`, parsed with strtol. */
function allowConnect(cmd: Cmd, args: string[]): string | undefined {
  const arg = args[0];
  if (!/^[0-9]/.test(arg)) return 'AllowCONNECT: port numbers must be numeric';
  const a = strtol(arg);
  const first = Number(a.value);
  let last = first;
  let p = arg;
  let rest = arg.slice(a.end);
  let parsed = a.end;
  if (rest[0] === '-') {
    p = rest.slice(1);
    const b = strtol(p);
    last = Number(b.value);
    parsed = b.end;
    rest = p.slice(b.end);
  }
  if (parsed === 0 || rest !== '') return `Cannot parse '${p}' as port number`;
  const m0 = cmd.state.registry.moduleById('proxy_connect_module') as ModuleDef<ConnectServerConfig, unknown>;
  cmd.serverConfig(m0).ports.push({ first, last, loc: cmd.node.loc });
  return undefined;
}

/** mod_proxy_connect.c: the CONNECT method (tunnels through a forward proxy). */
export const proxyConnectModule: ModuleDef<ConnectServerConfig, unknown> = {
  id: 'proxy_connect_module',
  file: 'mod_proxy_connect.c',
  requires: ['proxy_module'],
  createServerConfig: create,
  mergeServerConfig: (base, add) => ({ ports: [...base.ports, ...add.ports] }),
  directives: [
    {
      name: 'AllowCONNECT', args: 'ITERATE', contexts: RSRC_CONF, support: 'yes', handler: allowConnect,
      help: 'A list of ports or port ranges which CONNECT may connect to',
    },
  ],
};

/** The AllowCONNECT record of a server as written in it. */
export function connectServer(server: ServerRec): ConnectServerConfig {
  for (const [m, v] of server.configs) if (m.id === 'proxy_connect_module') return v as ConnectServerConfig;
  return create();
}
