/**
 * The run-time part of each module, by module id: its compile step and its request hooks
 * (src/runtime/compile/types.ts). Kept apart from the modules' directive tables
 * (src/modules/index.ts) so that reading and checking a configuration (`featherd -t`) loads
 * none of the serving code: node:http, undici, send and the request phases are only imported
 * when featherd serves.
 */
import type { RuntimeHooks } from '../runtime/compile/types.js';
import { aliasRuntime } from './alias/runtime.js';
import { authzCoreRuntime } from './authz_core/runtime.js';
import { coreRuntime } from './core/runtime.js';
import { dirRuntime } from './dir/runtime.js';
import { envRuntime } from './env/runtime.js';
import { headersRuntime } from './headers/runtime.js';
import { logConfigRuntime } from './log_config/runtime.js';
import { mimeRuntime } from './mime/runtime.js';
import { proxyRuntime } from './proxy/runtime.js';
import { proxyBalancerRuntime } from './proxy_balancer/runtime.js';
import { proxyConnectRuntime } from './proxy_connect/runtime.js';
import { proxyHcheckRuntime } from './proxy_hcheck/runtime.js';
import { remoteipRuntime } from './remoteip/runtime.js';
import { rewriteRuntime } from './rewrite/runtime.js';
import { setenvifRuntime } from './setenvif/runtime.js';
import { sslRuntime } from './ssl/runtime.js';

export const moduleRuntimes: ReadonlyMap<string, RuntimeHooks> = new Map<string, RuntimeHooks>([
  ['alias_module', aliasRuntime],
  ['authz_core_module', authzCoreRuntime],
  ['core_module', coreRuntime],
  ['dir_module', dirRuntime],
  ['env_module', envRuntime],
  ['headers_module', headersRuntime],
  ['log_config_module', logConfigRuntime],
  ['mime_module', mimeRuntime],
  ['proxy_module', proxyRuntime],
  ['proxy_balancer_module', proxyBalancerRuntime],
  ['proxy_connect_module', proxyConnectRuntime],
  ['proxy_hcheck_module', proxyHcheckRuntime],
  ['remoteip_module', remoteipRuntime],
  ['rewrite_module', rewriteRuntime],
  ['setenvif_module', setenvifRuntime],
  ['ssl_module', sslRuntime],
  // No hooks of its own: mod_proxy's translate and handler read its per-directory setting
  // (proxy/runtime/tls-upgrade.ts).
  ['proxy_wstunnel_module', {}],
]);
