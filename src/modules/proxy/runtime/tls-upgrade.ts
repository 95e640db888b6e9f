/**
 * The handler's steps for TLS backends and protocol upgrades, before the ordinary exchange:
 *  - an https/wss target without `SSLProxyEngine On` is httpd's 500 (AH00961);
 *  - a request asking to upgrade that the worker accepts (ws/wss targets, `upgrade=` on http
 *    workers) is tunnelled (upgrade.ts).
 * `withBackendTls` gives https/wss worker pools their TLS settings at load time.
 */
import type { ConfigSet } from '../../../directives/types.js';
import { compileProxySection } from '../../../runtime/compile/sections.js';
import type { CompiledServer } from '../../../runtime/compile/types.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import type { RequestContext } from '../../../runtime/server.js';
import { tlsSocketOf } from '../../ssl/vars.js';
import { wstunnelDir } from '../../proxy_wstunnel/module.js';
import type { ProxyServerConfig, WorkerDef } from '../config.js';
import type { CanonUrl } from './canon.js';
import type { ForwardOptions, ViaMode } from './forward.js';
import type { WorkerSettings } from './pool.js';
import { backendConnector, backendTlsOptions, checkPeer, handshakeError, proxyTlsConfig, sslProxyDisabled } from './tls-backend.js';
import { canUpgrade, proxyUpgrade, upgradeFor } from './upgrade.js';

const isTlsScheme = (s: string): boolean => s === 'https' || s === 'wss';
const isWsScheme = (s: string): boolean => s === 'ws' || s === 'wss';

/**
 * Whether mod_proxy_wstunnel serves ws:// and wss:// targets itself:
 * `ProxyWebsocketFallbackToProxyHttp Off` (On by default) in the request's configuration.
 */
export function wstunnelServes(dir: ConfigSet): boolean {
  return wstunnelDir(dir).fallbackToProxyHttp === false;
}

/**
 * mod_proxy_wstunnel's check_trans hook: a ProxyPass rule to a ws:// or wss:// URL is skipped
 * (the next rule is tried) for a request without `Upgrade` while the module serves them itself.
 */
export function wstunnelCheckTrans(dir: ConfigSet, upgradeHeader: string | string[] | undefined): (url: string) => boolean {
  if (!wstunnelServes(dir)) return () => true;
  return (url) => !/^wss?:/i.test(url) || upgradeHeader !== undefined;
}

/** The `<Proxy>` sections' per-directory configs that apply to a worker URL, merged in order. */
function sectionsFor(conf: ProxyServerConfig, url: string): ConfigSet | undefined {
  let out: ConfigSet | undefined;
  for (const sec of conf.sections) {
    if (!compileProxySection(sec).match(url)) continue;
    out = new Map([...(out ?? new Map()), ...sec.dirConfigs]);
  }
  return out;
}

/** Worker settings with the TLS connector of an https/wss worker (SSLProxy* of its server and `<Proxy>`). */
export function withBackendTls(s: WorkerSettings, w: WorkerDef, server: CompiledServer, conf: ProxyServerConfig): WorkerSettings {
  if (!isTlsScheme(w.scheme)) return s;
  const c = proxyTlsConfig(server.configs, sectionsFor(conf, w.name));
  if (!c) return s;
  const o = backendTlsOptions(c);
  if (!o.ok) return s;
  return { ...s, connector: backendConnector(o.value, c, s.connectTimeoutMs) };
}

export interface TlsUpgradeInput {
  ctx: RequestContext;
  server: CompiledServer;
  /** The request's merged per-directory configs (with `<Proxy>` sections). */
  dir: ConfigSet;
  target: CanonUrl;
  worker: WorkerDef | undefined;
  preserveHost: boolean;
  addHeaders: boolean;
  via: ViaMode;
  /** The Via comment of `ProxyVia Full` and the server port Via names (ap_get_server_port). */
  viaComment?: string;
  serverPort?: number;
  connectTimeoutMs: number;
  timeoutMs: number;
}

/**
 * Null when the ordinary exchange should go on; otherwise the handler's result. A plain http
 * target without an upgrade to make is answered at once (null, without a promise).
 */
export function tlsAndUpgrade(i: TlsUpgradeInput): Promise<HttpError | 'done' | 'ok' | null> | null {
  if (!hasTlsOrUpgrade(i.ctx, i.target, i.worker)) return null;
  return tlsAndUpgradeChecks(i);
}

/** False when tlsAndUpgrade would answer null at once: a plain http target and no upgrade to make. */
export function hasTlsOrUpgrade(ctx: RequestContext, target: CanonUrl, worker: WorkerDef | undefined): boolean {
  const scheme = target.netloc.scheme;
  return isTlsScheme(scheme) || isWsScheme(scheme) || upgradeFor(ctx, scheme, worker?.params.upgrade) !== null;
}

async function tlsAndUpgradeChecks(i: TlsUpgradeInput): Promise<HttpError | 'done' | 'ok' | null> {
  const { ctx, target } = i;
  const nl = target.netloc;
  const tlsConf = isTlsScheme(nl.scheme) ? proxyTlsConfig(i.server.configs, i.dir) : undefined;
  if (isTlsScheme(nl.scheme) && tlsConf?.engine !== true) {
    const e = sslProxyDisabled(nl.host, nl.port);
    for (const line of e.logMessage.split('\n')) i.server.errorLog.log('error', line.startsWith('AH01961') ? 'core' : 'proxy', line);
    return { ...e, logMessage: 'the backend needs SSLProxyEngine On' };
  }
  const up = ctx.upgrade;
  // mod_proxy_wstunnel's handler (ProxyWebsocketFallbackToProxyHttp Off): an Upgrade the worker
  // does not accept is 426, naming the protocol it wants.
  const raw = isWsScheme(nl.scheme) && wstunnelServes(i.dir);
  const workerUpgrade = i.worker?.params.upgrade;
  if (raw) {
    const asked = ctx.req.headers.upgrade;
    if (typeof asked !== 'string' || !canUpgrade(workerUpgrade, asked, 'WebSocket')) {
      const want = workerUpgrade !== undefined && workerUpgrade !== '' ? workerUpgrade : 'WebSocket';
      return {
        ...httpError(426, `AH02900: require upgrade for URL ${target.url} (Upgrade header is ${typeof asked === 'string' ? asked : 'missing'}, expecting ${want})`),
        headers: { Connection: 'Upgrade', Upgrade: want },
      };
    }
  }
  const upgrade = raw ? (workerUpgrade !== undefined && workerUpgrade !== '' && workerUpgrade !== '*' ? workerUpgrade : 'WebSocket') : upgradeFor(ctx, nl.scheme, workerUpgrade);
  if (!upgrade) return null;
  let tls;
  if (tlsConf) {
    const o = backendTlsOptions(tlsConf);
    if (!o.ok) return httpError(500, `AH02252: unable to read SSLProxy* files: ${o.error}`);
    tls = o.value;
  }
  const fo: ForwardOptions = {
    target,
    dispatcher: undefined as never,
    reuse: false,
    timeoutMs: i.timeoutMs,
    preserveHost: i.preserveHost,
    addHeaders: i.addHeaders,
    via: i.via,
    ...(i.viaComment !== undefined ? { viaComment: i.viaComment } : {}),
    serverName: i.server.name,
    serverPort: i.serverPort ?? ctx.conn.localPort,
    clientIp: ctx.conn.peerIp,
    ...(ctx.user !== undefined ? { authenticatedUser: true } : {}),
    ...(ctx.env.has('Proxy-Chain-Auth') ? { chainAuth: true } : {}),
  };
  const client = { ip: ctx.conn.peerIp, port: ctx.conn.peerPort };
  // The tunnel's idle limit: the larger of the backend's and the client's timeouts (httpd).
  const idleMs = Math.max(i.timeoutMs, (i.server.core.timeout ?? 60) * 1000);
  const out = await proxyUpgrade(ctx, up, {
    forward: fo,
    upgrade,
    ...(raw ? { raw: true } : {}),
    ...(tls ? { tls, checkPeer: (s) => checkPeer(s, nl.host, tlsConf!) } : {}),
    connectTimeoutMs: i.connectTimeoutMs,
    timeoutMs: i.timeoutMs,
    idleMs,
    onTunnelEnd: (r) => {
      if (r.reason === 'timeout') i.server.errorLog.log('error', 'proxy', `AH10225: proxy: ${nl.scheme.toUpperCase()} tunneling timed out`, client);
    },
  });
  switch (out.kind) {
    case 'tunnel':
    case 'relayed':
      ctx.notes.set('proxy-status', String(out.status));
      return 'done';
    case 'aborted':
      i.server.errorLog.log('info', 'proxy', out.logMessage, client);
      return 'done';
    case 'handshake':
      return handshakeError(ctx.uri, out.detail);
    case 'error':
      return out.error;
  }
}

export { tlsSocketOf };
