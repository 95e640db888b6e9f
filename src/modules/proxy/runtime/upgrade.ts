/**
 * Protocol upgrades through the proxy (mod_proxy_http since httpd 2.4.47, and ws:// / wss://
 * targets): the client's request goes to the backend on a connection of its own with
 * `Connection: Upgrade` and the client's `Upgrade` value; on `101 Switching Protocols` the
 * response head is relayed (every header but the hop-by-hop ones, so every subprotocol the
 * backend names) and both sockets are joined by a raw tunnel (tunnel.ts). Any other answer is
 * relayed as an ordinary response, and the client's connection stays open for more requests,
 * as with httpd. Like httpd, a request needs only the `Upgrade` header (not `Connection:
 * Upgrade`) to be upgraded.
 *
 * With `ProxyWebsocketFallbackToProxyHttp Off`, mod_proxy_wstunnel serves ws:// and wss://
 * targets itself (`raw`): it sends the worker's protocol (`WebSocket` by default) and passes
 * every byte of the backend's answer through untouched.
 */
import http, { type IncomingMessage } from 'node:http';
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { RequestContext, UpgradeRequest } from '../../../runtime/server.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { buildRequestHeaders, classifyBackendError, pairs, type ForwardOptions, type HeaderList } from './forward.js';
import { runTunnel, type TunnelResult } from './tunnel.js';

/** `ap_proxy_worker_can_upgrade`: the worker's `upgrade=` list (or `*`), else the default (WebSocket for ws/wss). */
export function canUpgrade(workerUpgrade: string | undefined, upgrade: string, dflt: string | null): boolean {
  if (workerUpgrade !== undefined && workerUpgrade !== '') {
    if (workerUpgrade === '*') return true;
    const want = upgrade.trim().toLowerCase();
    return workerUpgrade.toLowerCase() === want || workerUpgrade.split(/[\s,]+/).some((t) => t.toLowerCase() === want);
  }
  return dflt !== null && dflt.toLowerCase() === upgrade.trim().toLowerCase();
}

/**
 * The Upgrade value to pass on, or null when this request is proxied without upgrading. Like
 * httpd, the `Upgrade` header is enough (no `Connection: Upgrade` needed).
 */
export function upgradeFor(ctx: RequestContext, scheme: string, workerUpgrade: string | undefined): string | null {
  if (ctx.method === 'CONNECT') return null;
  const ws = scheme === 'ws' || scheme === 'wss';
  if (!ws && !workerUpgrade) return null;
  const value = ctx.req.headers.upgrade;
  if (typeof value !== 'string' || value === '') return null;
  return canUpgrade(workerUpgrade, value, ws ? 'WebSocket' : null) ? value : null;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-authenticate']);

export interface UpgradeOptions {
  forward: ForwardOptions;
  /** The client's Upgrade value (passed on as is). */
  upgrade: string;
  /** TLS to the backend (https/wss targets): connect options from SSLProxy*. */
  tls?: tls.ConnectionOptions;
  /** httpd's checks of the backend's certificate after the handshake (null: passed). */
  checkPeer?: (s: tls.TLSSocket) => string | null;
  connectTimeoutMs: number;
  /** Waiting for the backend's response head. */
  timeoutMs: number;
  /** No traffic in either direction for this long closes the tunnel. */
  idleMs: number;
  /** Called when the tunnel ended (for the error log). */
  onTunnelEnd?: (r: TunnelResult) => void;
  /** mod_proxy_wstunnel's own tunnel: no response processing, every byte passed through. */
  raw?: boolean;
}

export type UpgradeOutcome =
  | { kind: 'tunnel'; status: number }
  | { kind: 'relayed'; status: number }
  | { kind: 'error'; error: HttpError }
  | { kind: 'handshake'; detail: string }
  | { kind: 'aborted'; logMessage: string };

function connectBackend(o: UpgradeOptions): Promise<{ ok: true; socket: Duplex } | { ok: false; err: Error }> {
  const nl = o.forward.target.netloc;
  return new Promise((resolve) => {
    const host = nl.host;
    const sock: net.Socket | tls.TLSSocket = o.tls
      ? tls.connect({ host, port: nl.port, ...(net.isIP(host) ? {} : { servername: host }), ...o.tls })
      : net.connect({ host, port: nl.port });
    const timer = setTimeout(() => {
      const e = Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
      sock.destroy(e);
    }, o.connectTimeoutMs);
    sock.once(o.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve({ ok: true, socket: sock });
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ ok: false, err });
    });
  });
}

/**
 * Takes a request's socket away from Node's HTTP server once its response will not be HTTP any
 * more (what Node does itself for requests it hands to 'upgrade' listeners): the parser lets go
 * of the socket and the server's listeners are removed, except the response's own close
 * listener (so the request is still logged when the connection ends). Null when the socket is
 * not one Node's HTTP server reads.
 */
export function detachFromHttp(req: IncomingMessage): Duplex | null {
  // `parser` and `_httpMessage` are Node's internal links between the socket and its HTTP state.
  const sock = req.socket as Socket & { parser?: ParserHandle | null; _httpMessage?: unknown };
  const parser = sock.parser;
  if (!parser || typeof parser.unconsume !== 'function') return null;
  for (const ev of sock.eventNames()) {
    for (const fn of sock.listeners(ev)) {
      if (NODE_HTTP_LISTENER.test(fn.name)) sock.removeListener(ev, fn as (...a: unknown[]) => void);
    }
  }
  parser.unconsume();
  parser.finish?.();
  parser.remove?.();
  sock.parser = null;
  sock._httpMessage = null;
  sock.setTimeout(0);
  sock.on('error', () => sock.destroy());
  return sock;
}

interface ParserHandle {
  unconsume?(): void;
  finish?(): unknown;
  remove?(): void;
}

/** Node's HTTP server listeners on a connection (node:_http_server). */
const NODE_HTTP_LISTENER = /^(bound )?socketOn(Data|End|Close|Drain|Error|Timeout)$|^onSocket(Resume|Pause)$/;

function headText(status: number, reason: string, headers: HeaderList): string {
  return `HTTP/1.1 ${status} ${reason}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
}

type Exchange =
  | { kind: 'switched'; res: IncomingMessage; socket: Duplex; head: Buffer }
  | { kind: 'response'; res: IncomingMessage }
  | { kind: 'failed'; err: Error };

/** Sends the request head (and a Content-Length body) on `backend` and waits for the answer's head. */
function exchange(ctx: RequestContext, backend: Duplex, path: string, headers: HeaderList, head: Buffer | null, timeoutMs: number): Promise<Exchange> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: Exchange): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const creq = http.request({
      method: ctx.req.method ?? 'GET',
      path,
      headers: headers.flat(),
      setHost: false,
      createConnection: () => backend as Socket,
    });
    const timer = setTimeout(() => {
      const e = Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
      creq.destroy(e);
      done({ kind: 'failed', err: e });
    }, timeoutMs);
    creq.on('upgrade', (res, socket, rest) => done({ kind: 'switched', res, socket, head: rest }));
    creq.on('response', (res) => done({ kind: 'response', res }));
    creq.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ECONNRESET' || /socket hang up/.test(err.message)) err = Object.assign(new Error('backend closed the connection'), { code: 'UND_ERR_SOCKET' });
      done({ kind: 'failed', err });
    });
    if (head && head.length) creq.write(head);
    if (head === null && Number(ctx.req.headers['content-length'] ?? 0) > 0) ctx.req.pipe(creq);
    else creq.end();
  });
}

/** Proxies an upgrade request; takes the client's socket over when the backend switches. */
export async function proxyUpgrade(ctx: RequestContext, up: UpgradeRequest | undefined, o: UpgradeOptions): Promise<UpgradeOutcome> {
  const req = ctx.req;
  const headers = buildRequestHeaders(req, o.forward, null);
  const cl = req.headers['content-length'];
  if (!up && cl !== undefined && Number(cl) > 0) headers.push(['Content-Length', cl]);
  if (o.raw) headers.push(['Upgrade', o.upgrade], ['Connection', 'Upgrade']);
  else headers.push(['Connection', 'Upgrade'], ['Upgrade', o.upgrade]);
  const conn = await connectBackend(o);
  if (!conn.ok && o.tls && !/ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|CONNECT_TIMEOUT/.test(String((conn.err as { code?: string }).code ?? ''))) {
    return { kind: 'handshake', detail: conn.err.message };
  }
  if (conn.ok && o.checkPeer && conn.socket instanceof tls.TLSSocket) {
    const problem = o.checkPeer(conn.socket);
    if (problem) {
      conn.socket.destroy();
      return { kind: 'handshake', detail: problem };
    }
  }
  if (!conn.ok) {
    const c = classifyBackendError(conn.err, o.forward, req.url ?? '/', req.method ?? 'GET');
    return c.kind === 'error' ? c : { kind: 'error', error: httpError(503, `AH00957: failed to make connection to backend: ${o.forward.target.netloc.host}`) };
  }
  const backend = conn.socket;
  backend.on('error', () => backend.destroy());
  if ((up?.socket ?? req.socket).destroyed) {
    backend.destroy();
    return { kind: 'aborted', logMessage: 'client closed the connection before the upgrade' };
  }
  if (o.raw) return rawTunnel(ctx, up, backend, headers, o);
  const x = await exchange(ctx, backend, o.forward.target.pathAndQuery, headers, up ? up.head : null, o.timeoutMs);
  if (x.kind === 'failed') {
    backend.destroy();
    const c = classifyBackendError(x.err, o.forward, req.url ?? '/', req.method ?? 'GET');
    return c.kind === 'error' ? c : { kind: 'error', error: httpError(502, `AH01102: error reading status line from remote server ${o.forward.target.netloc.host}`, 'Error reading from remote server') };
  }
  const out = pairs(x.res.rawHeaders).filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()));
  if (x.kind === 'switched') {
    const client = up ? up.socket : detachFromHttp(req);
    if (!client) {
      x.socket.destroy();
      return { kind: 'error', error: httpError(500, 'AH10228: the client connection cannot be taken over for the tunnel') };
    }
    if (up) up.taken = true;
    ctx.res.statusCode = 101;
    out.push(['Connection', 'Upgrade'], ['Upgrade', o.upgrade]);
    client.write(headText(101, 'Switching Protocols', out), 'latin1');
    if (x.head.length) client.write(x.head);
    const r = await runTunnel(client, x.socket, o.idleMs);
    o.onTunnelEnd?.(r);
    return { kind: 'tunnel', status: 101 };
  }
  return relayResponse(ctx, up, x.res, out);
}

/**
 * An answer other than 101: relayed as the response of the request. On a connection Node handed
 * over ('upgrade' event) it is written by hand and the connection ends after it; otherwise the
 * request's own response carries it and the connection stays open as for any request.
 */
function relayResponse(ctx: RequestContext, up: UpgradeRequest | undefined, res: IncomingMessage, out: HeaderList): Promise<UpgradeOutcome> {
  const status = res.statusCode ?? 502;
  const te = res.headers['transfer-encoding'];
  return new Promise((resolve) => {
    const finish = (): void => resolve({ kind: 'relayed', status });
    if (up) {
      const client = up.socket;
      up.taken = true;
      ctx.res.statusCode = status;
      const cl = res.headers['content-length'];
      const list: HeaderList = [...out];
      if (cl === undefined && te !== undefined) list.push(['Connection', 'close']);
      client.write(headText(status, res.statusMessage ?? '', list), 'latin1');
      res.on('data', (c: Buffer) => client.write(c));
      res.on('end', () => {
        client.end();
        finish();
      });
      res.on('error', () => {
        client.destroy();
        finish();
      });
      client.on('close', () => res.destroy());
      return;
    }
    const r = ctx.res;
    r.statusCode = status;
    if (res.statusMessage) r.statusMessage = res.statusMessage;
    for (const [n, v] of out) r.appendHeader(n, v);
    res.pipe(r);
    res.on('error', () => r.destroy());
    r.on('close', () => {
      res.destroy();
      finish();
    });
  });
}

/**
 * mod_proxy_wstunnel's tunnel: the request head is sent with the worker's protocol, and from
 * then on every byte is passed through both ways, the backend's answer included.
 */
async function rawTunnel(ctx: RequestContext, up: UpgradeRequest | undefined, backend: Duplex, headers: HeaderList, o: UpgradeOptions): Promise<UpgradeOutcome> {
  const client = up ? up.socket : detachFromHttp(ctx.req);
  if (!client) {
    backend.destroy();
    return { kind: 'error', error: httpError(500, 'AH10228: the client connection cannot be taken over for the tunnel') };
  }
  if (up) up.taken = true;
  ctx.res.statusCode = 101;
  backend.write(`${ctx.req.method ?? 'GET'} ${o.forward.target.pathAndQuery} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1');
  if (up?.head.length) backend.write(up.head);
  const r = await runTunnel(client, backend, o.idleMs);
  o.onTunnelEnd?.(r);
  return { kind: 'tunnel', status: 101 };
}
