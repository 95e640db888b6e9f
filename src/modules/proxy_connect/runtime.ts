/**
 * mod_proxy_connect at run time: the handler for forward-proxy CONNECT requests (see
 * ../proxy/runtime/connect.ts). A CONNECT that is not a proxy request (ProxyRequests Off, or
 * a target that is not host:port) is answered 405, as httpd's default handler does.
 */
import type { ModuleDef } from '../../directives/types.js';
import type { RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError } from '../../runtime/http-error.js';
import { requestState } from '../../runtime/request.js';
import type { HookResult, RequestContext } from '../../runtime/server.js';
import { findProxyServer } from '../proxy/config.js';
import { handleConnect } from '../proxy/runtime/connect.js';
import { isForwardProxy } from '../proxy/runtime/proxyreq.js';
import type { ConnectServerConfig } from './module.js';

async function handler(m: ModuleDef, ctx: RequestContext): Promise<HookResult> {
  if (ctx.method !== 'CONNECT') return 'declined';
  const st = requestState(ctx);
  const conf = st ? findProxyServer(st.server.configs) : undefined;
  if (!st || !conf || !isForwardProxy(ctx) || ctx.handler !== 'proxy-server') {
    return { ...httpError(405, `AH00574: method CONNECT not allowed for ${ctx.uri}`), headers: { Allow: 'GET,POST,OPTIONS,HEAD,TRACE' } };
  }
  const ports = (st.server.configs.get(m) as ConnectServerConfig | undefined)?.ports ?? [];
  const timeoutUs = conf.timeout ?? (st.server.core.timeout ?? 60) * 1_000_000;
  const banner = ctx.res.getHeader('server');
  const r = await handleConnect(ctx, st, {
    conf,
    allowed: ports,
    timeoutMs: Math.max(1, Math.round(timeoutUs / 1000)),
    banner: typeof banner === 'string' ? banner : 'featherd',
  });
  return r;
}

export const proxyConnectRuntime: RuntimeHooks = {
  register(pipeline, _compiled, m) {
    pipeline.register('handler', 'proxy_connect:handler', (ctx) => handler(m, ctx));
  },
};
