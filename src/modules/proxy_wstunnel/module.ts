import type { ConfigSet, ModuleDef } from '../../directives/types.js';
import { ACCESS_CONF, RSRC_CONF } from '../../directives/types.js';

export interface WstunnelDirConfig {
  /** ProxyWebsocketFallbackToProxyHttp (default On). */
  fallbackToProxyHttp?: boolean;
}

/** mod_proxy_wstunnel.c: ws:// and wss:// backends. */
export const proxyWstunnelModule: ModuleDef<unknown, WstunnelDirConfig> = {
  id: 'proxy_wstunnel_module',
  file: 'mod_proxy_wstunnel.c',
  requires: ['proxy_module'],
  createDirConfig: () => ({}),
  mergeDirConfig: (base, add) => ({ fallbackToProxyHttp: add.fallbackToProxyHttp ?? base.fallbackToProxyHttp }),
  directives: [
    {
      name: 'ProxyWebsocketFallbackToProxyHttp', args: 'FLAG', contexts: RSRC_CONF | ACCESS_CONF, support: 'yes',
      help: 'whether to let mod_proxy_http handle the upgrade and tunneling, On by default',
      note: "Off: ws:// and wss:// targets get mod_proxy_wstunnel's raw tunnel (the worker's protocol sent, the backend's answer passed through), 426 for other Upgrade values, and their ProxyPass rules are skipped for requests without Upgrade",
      handler: (cmd, args) => {
        const m = cmd.state.registry.moduleById('proxy_wstunnel_module') as ModuleDef<unknown, WstunnelDirConfig>;
        cmd.dirConfig(m).fallbackToProxyHttp = args[0] === 'On';
      },
    },
  ],
};

/** The wstunnel record of a per-directory config set. */
export function wstunnelDir(set: ConfigSet): WstunnelDirConfig {
  for (const [m, v] of set) if (m.id === 'proxy_wstunnel_module') return v as WstunnelDirConfig;
  return {};
}
