/**
 * Forward proxying and the checks mod_proxy makes before it connects anywhere
 * (notes/proxy-semantics.md §10):
 *  - `detectForwardProxy` (httpd's proxy_detect): with `ProxyRequests On`, an absolute-URI
 *    request for another host, or a CONNECT, becomes a forward-proxy request;
 *  - `beforeBackend` (proxy_handler, ap_proxy_determine_connection): ProxyDomain redirects,
 *    NoProxy / ProxyRemote (the upstream proxy to go through), ProxyBlock;
 *  - `forwardOptions`: what differs in the exchange for a forward request (no X-Forwarded-*,
 *    no ProxyPassReverse, Via with the port of the request's URL).
 */
import { errorPage } from '../../../runtime/error-page.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { requestErrorLog, type RequestState } from '../../../runtime/request.js';
import type { RequestContext } from '../../../runtime/server.js';
import type { ProxyServerConfig, RemoteProxy } from '../config.js';
import { blockedBy, blockList, needsAddresses, resolveAll } from './block.js';
import type { CanonUrl } from './canon.js';
import type { ForwardOptions } from './forward.js';
import type { PassRule } from './match.js';
import { isForwardProxy, setProxyReq } from './proxyreq.js';
import { connectDirectly, prepareNoProxy, RemoteDispatchers, remotesFor } from './remote.js';

/** The rule a forward-proxy request stands under (it matched no ProxyPass). */
export const FORWARD_RULE: PassRule = { kind: 'prefix', path: '', url: '' };

interface UrlParts {
  scheme: string | null;
  hostname: string | null;
  port: number | null;
}

/** apr_uri_parse, for what proxy_detect looks at: scheme, host and port of the request-target. */
export function parseTarget(raw: string, method: string): UrlParts {
  if (method === 'CONNECT') {
    const m = /^(\[[^\]]*\]|[^:/?#]*):(\d*)$/.exec(raw);
    if (!m) return { scheme: null, hostname: null, port: null };
    return { scheme: null, hostname: m[1].replace(/^\[(.*)\]$/, '$1') || null, port: m[2] === '' ? null : Number(m[2]) };
  }
  const s = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(raw);
  if (!s) return { scheme: null, hostname: null, port: null };
  const rest = s[2];
  if (!rest.startsWith('//')) return { scheme: s[1], hostname: null, port: null };
  const authority = /^\/\/([^/?#]*)/.exec(rest)?.[1] ?? '';
  const hostport = authority.slice(authority.lastIndexOf('@') + 1);
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const hostname = hp ? hp[1].replace(/^\[(.*)\]$/, '$1') : hostport;
  const port = hp?.[2] ? Number(hp[2]) : null;
  return { scheme: s[1], hostname: hostname || null, port };
}

/** ap_matches_request_vhost: the URL's host:port names this server (then it is served locally). */
function matchesThisServer(ctx: RequestContext, st: RequestState, host: string, port: number): boolean {
  if (port !== ctx.conn.localPort && !(st.server.port !== 0 && port === st.server.port)) return false;
  const h = host.toLowerCase();
  if (h === st.server.name.toLowerCase()) return true;
  if (st.server.core.aliases.some((a) => a.toLowerCase() === h)) return true;
  const local = ctx.conn.localIp.replace(/^::ffff:(?=\d+\.)/, '');
  return h === local;
}

/**
 * proxy_detect. Returns true when the request was made a forward-proxy request: `r->uri` is
 * the whole request-target, `r->filename` is `proxy:` + it, the handler is proxy-server.
 */
export function detectForwardProxy(ctx: RequestContext, st: RequestState, conf: ProxyServerConfig): boolean {
  if (conf.req !== true) return false;
  const raw = ctx.target.unparsed || (ctx.req.url ?? '');
  const t = parseTarget(raw, ctx.method);
  if (ctx.method === 'CONNECT') {
    if (t.hostname === null || t.port === null) return false;
  } else {
    if (t.scheme === null) return false;
    if (t.hostname !== null && t.scheme.toLowerCase() === 'http' && matchesThisServer(ctx, st, t.hostname, t.port ?? 80)) return false;
  }
  ctx.uri = raw;
  ctx.filename = `proxy:${raw}`;
  ctx.handler = 'proxy-server';
  setProxyReq(ctx, 'proxy');
  return true;
}

/** proxy_needsdomain: the URL with ProxyDomain appended to a host without a domain, or null. */
export function domainRedirect(ctx: RequestContext, url: string, domain: string): string | null {
  if (!isForwardProxy(ctx) || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return null;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#@]*@)?(\[[^\]]*\]|[^:/?#]*)(.*)$/s.exec(url);
  if (!m) return null;
  const host = m[3];
  if (host === '' || host.includes('.') || host.includes(':') || host.toLowerCase() === 'localhost') return null;
  return `${m[1]}${m[2] ?? ''}${host}${domain}${m[4]}`;
}

function sendRedirect(ctx: RequestContext, location: string): void {
  const res = ctx.res;
  const page = errorPage({ status: 301, method: ctx.method, location });
  const body = Buffer.from(page.body, 'latin1');
  res.statusCode = 301;
  res.statusMessage = page.statusMessage;
  res.setHeader('Location', location);
  res.setHeader('Content-Type', 'text/html; charset=iso-8859-1');
  if (ctx.method !== 'HEAD') res.setHeader('Content-Length', body.length);
  ctx.status = 301;
  res.end(ctx.method === 'HEAD' ? undefined : body);
}

const dispatchers = new WeakMap<ProxyServerConfig, RemoteDispatchers>();

function remoteDispatchers(conf: ProxyServerConfig): RemoteDispatchers {
  let d = dispatchers.get(conf);
  if (!d) {
    d = new RemoteDispatchers(Math.max(1, Math.round((conf.timeout ?? 60_000_000) / 1000)));
    dispatchers.set(conf, d);
  }
  return d;
}

/**
 * Starts the start-up work of a server's forward-proxy settings (ProxyBlock and NoProxy
 * lookups); `onClose` gets what releases the connections to remote proxies.
 */
export function prepareForwardProxy(conf: ProxyServerConfig, onClose?: (fn: () => Promise<void>) => void): void {
  if (conf.block.length) blockList(conf.block);
  prepareNoProxy(conf.noProxy);
  if (conf.remotes.length && onClose) {
    const d = remoteDispatchers(conf);
    onClose(() => d.close());
  }
}

/** The 403 httpd answers for a ProxyBlock match (ap_proxyerror). */
export function blockedError(): HttpError {
  return httpError(403, 'AH00916: connect to remote machine blocked', 'Connect to remote machine blocked');
}

/**
 * ProxyBlock for `hostname`: the 403 to answer with, or null. `direct` is false when the
 * connection goes through a remote proxy (then only names are compared).
 */
export async function checkBlock(ctx: RequestContext, st: RequestState, conf: ProxyServerConfig, hostname: string, direct: boolean): Promise<HttpError | null> {
  if (conf.block.length === 0) return null;
  const list = blockList(conf.block);
  await list.ready;
  const addrs = direct && needsAddresses(list) ? await resolveAll(hostname) : direct ? [] : null;
  const hit = blockedBy(list, hostname, addrs);
  if (!hit) return null;
  const msg = hit.by === 'name'
    ? `AH00916: connect to remote machine ${hostname} blocked: name ${hit.entry} matched`
    : `AH00917: connect to remote machine ${hostname} blocked: IP ${hit.ip ?? ''} matched`;
  requestErrorLog(st).log('warn', 'proxy', msg, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
  return { ...blockedError(), logMessage: msg };
}

/** The remote proxy a request for `url` goes through (NoProxy and ProxyRemote), or null. */
export async function chooseRemote(st: RequestState, conf: ProxyServerConfig, url: string): Promise<RemoteProxy | null> {
  if (conf.remotes.length === 0) return null;
  if (await connectDirectly(conf.noProxy, st.hostname ?? '')) return null;
  return remotesFor(conf.remotes, url)[0] ?? null;
}

/** Puts a ProxyRemote's credentials into the request headers, as httpd does for the remote. */
export function setProxyAuthorization(ctx: RequestContext, value: string): void {
  const raw = ctx.req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() !== 'proxy-authorization') out.push(raw[i], raw[i + 1]);
  out.push('Proxy-Authorization', value);
  raw.splice(0, raw.length, ...out);
  ctx.req.headers['proxy-authorization'] = value;
}

export type BeforeBackend =
  | { kind: 'continue'; options: Partial<ForwardOptions> }
  | { kind: 'result'; result: HttpError | 'done' };

/**
 * What proxy_handler does for an http(s) target before the exchange: ProxyDomain, NoProxy and
 * ProxyRemote, ProxyBlock; and the forward-request options.
 */
export function beforeBackend(ctx: RequestContext, st: RequestState, conf: ProxyServerConfig, target: CanonUrl): BeforeBackend | Promise<BeforeBackend> {
  // A reverse-proxy request without ProxyRemote or ProxyBlock has nothing to do here.
  if (conf.remotes.length === 0 && conf.block.length === 0 && !isForwardProxy(ctx)) return NOTHING_BEFORE;
  return beforeBackendChecks(ctx, st, conf, target);
}

const NOTHING_BEFORE: BeforeBackend = Object.freeze({ kind: 'continue', options: Object.freeze({}) });

async function beforeBackendChecks(ctx: RequestContext, st: RequestState, conf: ProxyServerConfig, target: CanonUrl): Promise<BeforeBackend> {
  const forward = isForwardProxy(ctx);
  if (forward && conf.domain !== undefined) {
    const loc = domainRedirect(ctx, target.url, conf.domain);
    if (loc !== null) {
      requestErrorLog(st).log('info', 'proxy', `AH01138: Domain missing: ${ctx.uri} sent to ${loc}`, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
      sendRedirect(ctx, loc);
      return { kind: 'result', result: 'done' };
    }
  }
  const remote = await chooseRemote(st, conf, target.url);
  const blocked = await checkBlock(ctx, st, conf, target.netloc.host, remote === null);
  if (blocked) return { kind: 'result', result: blocked };
  const options: Partial<ForwardOptions> = forward ? forwardOptions(ctx, st) : {};
  if (!remote) return { kind: 'continue', options };
  if (remote.auth) setProxyAuthorization(ctx, remote.auth);
  ctx.env.set('proxy-nokeepalive', '1');
  return { kind: 'continue', options: { ...options, reuse: false, dispatcher: remoteDispatchers(conf).get(remote, target.netloc.scheme) } };
}

/** ForwardOptions that differ for a forward-proxy request. */
export function forwardOptions(ctx: RequestContext, st: RequestState): Partial<ForwardOptions> {
  return {
    addHeaders: false,
    reverse: { aliases: [], cookiePaths: [], cookieDomains: [] },
    preserveHost: false,
  };
}
