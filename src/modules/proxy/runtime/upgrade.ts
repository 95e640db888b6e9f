/**
 * Protocol upgrades through the proxy (mod_proxy_http since httpd 2.4.47, and ws:// / wss://
 * targets): the client's request goes to the backend on a connection of its own with
 * `Connection: Upgrade` and the client's `Upgrade` value; on `101 Switching Protocols` the
 * response head is relayed (every header but the hop-by-hop ones, so every subprotocol the
 * backend names) and both sockets are joined by a raw tunnel (tunnel.ts). Any other answer is
 * relayed as is and the connection closed.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { RequestContext, UpgradeRequest } from '../../../runtime/server.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { buildRequestHeaders, classifyBackendError, type ForwardOptions, type HeaderList } from './forward.js';
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

/** The Upgrade value to pass on, or null when this request is proxied without upgrading. */
export function upgradeFor(ctx: RequestContext, scheme: string, workerUpgrade: string | undefined): string | null {
  if (!ctx.upgrade) return null;
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

interface Head {
  status: number;
  reason: string;
  headers: HeaderList;
  rest: Buffer;
}

/** Reads the backend's response head (bounded by size and time). */
function readHead(sock: Duplex, timeoutMs: number): Promise<Head | Error> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const done = (v: Head | Error): void => {
      clearTimeout(timer);
      sock.off('data', onData);
      sock.off('error', onErr);
      sock.off('close', onClose);
      if (!(v instanceof Error)) sock.pause();
      resolve(v);
    };
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 65536) done(new Error('response head too large'));
        return;
      }
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0]);
      if (!m) return done(Object.assign(new Error('invalid status line'), { code: 'HPE_INVALID_CONSTANT' }));
      const headers: HeaderList = [];
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
      }
      done({ status: Number(m[1]), reason: m[2] ?? '', headers, rest: buf.subarray(end + 4) });
    };
    const onErr = (e: Error): void => done(e);
    const onClose = (): void => done(Object.assign(new Error('backend closed the connection'), { code: 'UND_ERR_SOCKET' }));
    const timer = setTimeout(() => done(Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), timeoutMs);
    sock.on('data', onData);
    sock.on('error', onErr);
    sock.on('close', onClose);
  });
}

function headText(status: number, reason: string, headers: HeaderList): string {
  return `HTTP/1.1 ${status} ${reason}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
}

/** Proxies an upgrade request; takes the client's socket over unless the outcome is `error`. */
export async function proxyUpgrade(ctx: RequestContext, up: UpgradeRequest, o: UpgradeOptions): Promise<UpgradeOutcome> {
  const req = ctx.req;
  const headers = buildRequestHeaders(req, o.forward, null);
  headers.push(['Connection', 'Upgrade'], ['Upgrade', o.upgrade]);
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
  if (up.socket.destroyed) {
    backend.destroy();
    return { kind: 'aborted', logMessage: 'client closed the connection before the upgrade' };
  }
  const method = req.method ?? 'GET';
  backend.write(`${method} ${o.forward.target.pathAndQuery} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`, 'latin1');
  if (up.head.length) backend.write(up.head);
  const head = await readHead(backend, o.timeoutMs);
  if (head instanceof Error) {
    backend.destroy();
    const c = classifyBackendError(head, o.forward, req.url ?? '/', method);
    return c.kind === 'error' ? c : { kind: 'error', error: httpError(502, `AH01102: error reading status line from remote server ${o.forward.target.netloc.host}`, 'Error reading from remote server') };
  }
  const client = up.socket;
  up.taken = true;
  ctx.res.statusCode = head.status;
  const out = head.headers.filter(([n]) => !HOP_BY_HOP.has(n.toLowerCase()));
  if (head.status === 101) {
    out.push(['Connection', 'Upgrade'], ['Upgrade', o.upgrade]);
    client.write(headText(101, 'Switching Protocols', out), 'latin1');
    if (head.rest.length) client.write(head.rest);
    backend.resume();
    const r = await runTunnel(client, backend, o.idleMs);
    o.onTunnelEnd?.(r);
    return { kind: 'tunnel', status: 101 };
  }
  // Not upgraded: relay the answer and close the connection after its body (Content-Length
  // bytes, else until the backend closes).
  const te = head.headers.find(([n]) => n.toLowerCase() === 'transfer-encoding');
  if (te) out.push(te);
  out.push(['Connection', 'Upgrade'], ['Upgrade', o.upgrade]);
  client.write(headText(head.status, head.reason, out), 'latin1');
  const cl = head.headers.find(([n]) => n.toLowerCase() === 'content-length');
  let left = cl && !te && method !== 'HEAD' ? Number(cl[1]) : method === 'HEAD' || head.status === 204 || head.status === 304 ? 0 : Infinity;
  const finish = (): void => {
    backend.destroy();
    client.end();
  };
  const send = (chunk: Buffer): void => {
    const part = left === Infinity ? chunk : chunk.subarray(0, left);
    if (part.length) client.write(part);
    left -= part.length;
    if (left <= 0) finish();
  };
  client.on('close', () => backend.destroy());
  backend.on('close', () => client.end());
  if (left === 0) finish();
  else {
    if (head.rest.length) send(head.rest);
    backend.on('data', send);
    backend.resume();
  }
  return { kind: 'relayed', status: head.status };
}
