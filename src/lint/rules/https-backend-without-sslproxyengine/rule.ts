import type { ConfigNode, ConfigSection } from '../../../config/ast.js';
import type { ServerRec } from '../../../directives/types.js';
import type { Diagnostic } from '../../../util/diagnostics.js';
import { workers } from '../../records.js';
import type { LintRule } from '../../types.js';

const TLS_SCHEMES = new Set(['https', 'wss', 'h2']);

/** The last `SSLProxyEngine` value written directly in a server's body (On/Off), if any. */
function sslProxyEngine(nodes: ConfigNode[]): boolean | undefined {
  let v: boolean | undefined;
  for (const n of nodes) {
    if (n.kind === 'directive' && n.name.toLowerCase() === 'sslproxyengine') v = n.args[0]?.toLowerCase() === 'on';
  }
  return v;
}

/**
 * A worker with an https:// (wss://, h2://) URL needs `SSLProxyEngine On` in the server that
 * uses it; without it httpd answers every request to that backend with 500 (AH00961).
 */
export const httpsBackendWithoutSslProxyEngine: LintRule = {
  id: 'https-backend-without-sslproxyengine',
  description: 'An https:// backend in a server without SSLProxyEngine On',
  check(state, tree) {
    const mainValue = sslProxyEngine(tree.nodes);
    const enabled = (server: ServerRec): boolean => {
      const section: ConfigSection | undefined = server.section;
      const own = section ? sslProxyEngine(section.children) : undefined;
      return own ?? mainValue ?? false;
    };
    const sslLoaded = tree.loadedModules.includes('ssl_module');
    const out: Diagnostic[] = [];
    const all = workers(state);
    for (let i = 0; i < all.records.length; i++) {
      const worker = all.records[i];
      if (!TLS_SCHEMES.has(worker.scheme.toLowerCase()) || enabled(all.servers[i])) continue;
      out.push({
        severity: 'warning',
        rule: 'https-backend-without-sslproxyengine',
        message:
          `backend '${worker.displayName}' uses TLS but SSLProxyEngine is not On in this server: requests to it fail with 500` +
          (sslLoaded ? '' : ' (load ssl_module and set SSLProxyEngine On)'),
        loc: worker.loc,
      });
    }
    return out;
  },
};
