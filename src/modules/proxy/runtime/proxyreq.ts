/**
 * httpd's `r->proxyreq` for featherd's request records: whether a request is a forward-proxy
 * request (ProxyRequests On and an absolute URI or CONNECT, set by mod_proxy's detection) or a
 * reverse-proxy one. Authentication reads it (Proxy-Authorization and 407 for forward requests).
 */
import type { RequestContext } from '../../../runtime/server.js';

export type ProxyReq = 'none' | 'proxy' | 'reverse';

const KEY = Symbol('featherd.proxyreq');

export function setProxyReq(ctx: RequestContext, kind: ProxyReq): void {
  ctx.data.set(KEY, kind);
}

export function proxyReq(ctx: RequestContext): ProxyReq {
  return (ctx.data.get(KEY) as ProxyReq | undefined) ?? 'none';
}

/** True for a forward-proxy request (PROXYREQ_PROXY). */
export function isForwardProxy(ctx: RequestContext): boolean {
  return proxyReq(ctx) === 'proxy';
}
