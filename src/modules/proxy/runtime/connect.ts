/**
 * mod_proxy_connect's proxy_connect_handler: CONNECT host:port through a forward proxy.
 * The target is resolved (502 when it does not resolve), checked against ProxyBlock and
 * AllowCONNECT (403 "Connect to remote machine blocked"), connected to directly or through a
 * ProxyRemote (503 when that fails); then the client gets
 * `HTTP/1.0 200 Connection Established` (or the remote proxy's own answer) and bytes are
 * relayed both ways — each side's end is passed on as a half-close — until both sides are done
 * or nothing moved for the idle timeout.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { requestErrorLog, type RequestState } from '../../../runtime/request.js';
import type { RequestContext } from '../../../runtime/server.js';
import type { ProxyServerConfig, RemoteProxy } from '../config.js';
import { resolveAll } from './block.js';
import { blockedError, checkBlock, chooseRemote } from './forward-proxy.js';

/** AllowCONNECT ranges; none configured means httpd's 443 and 563. */
export function portAllowed(ranges: readonly { first: number; last: number }[], port: number): boolean {
  if (ranges.length === 0) return port === 443 || port === 563;
  return ranges.some((r) => port >= r.first && port <= r.last);
}

/** `host:port` of a CONNECT request-target (IPv6 in brackets), or null. */
export function parseConnectTarget(raw: string): { host: string; port: number } | null {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^:/?#[\]@]+):(\d{1,5})$/.exec(raw);
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

export interface ConnectSettings {
  conf: ProxyServerConfig;
  allowed: readonly { first: number; last: number }[];
  /** Connect and idle timeout (ProxyTimeout, else Timeout). */
  timeoutMs: number;
  /** The Server banner (Proxy-agent). */
  banner: string;
}

type Connected = { ok: true; socket: net.Socket } | { ok: false; code: string };

/** A TCP connection (TLS for an https:// remote proxy, without certificate checks as SSLProxyVerify none). */
function connectTo(host: string, port: number, timeoutMs: number, secure = false): Promise<Connected> {
  return new Promise((resolve) => {
    const s: net.Socket = secure
      ? tls.connect({ host, port, rejectUnauthorized: false, ...(net.isIP(host) ? {} : { servername: host }) })
      : net.connect({ host, port, allowHalfOpen: true });
    const ready = secure ? 'secureConnect' : 'connect';
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ ok: false, code: 'ETIMEDOUT' });
    }, timeoutMs);
    s.once(ready, () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve({ ok: true, socket: s });
    });
    s.once('error', (e: Error & { code?: string }) => {
      clearTimeout(timer);
      resolve({ ok: false, code: e.code ?? e.message });
    });
  });
}

/**
 * Relays bytes between the client and the backend until both directions ended, either side
 * failed, or nothing moved for `idleMs`. Resolves with why it stopped.
 */
export function tunnel(client: Duplex, backend: net.Socket, idleMs: number): Promise<'closed' | 'timeout' | 'error'> {
  return new Promise((resolve) => {
    let closed = 0;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (why: 'closed' | 'timeout' | 'error'): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      client.destroy();
      backend.destroy();
      resolve(why);
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish('timeout'), idleMs);
    };
    const pipe = (from: Duplex, to: Duplex): void => {
      from.on('data', (chunk: Buffer) => {
        arm();
        if (!to.write(chunk)) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
      // A half-close is passed on; the tunnel ends once both sockets are closed.
      from.on('end', () => to.end());
      from.on('error', () => finish('error'));
      from.on('close', () => {
        if (!to.writableEnded) to.end();
        if (++closed === 2) finish('closed');
      });
    };
    arm();
    pipe(client, backend);
    pipe(backend, client);
    client.resume();
  });
}

/** The CONNECT exchange. Returns the error to answer with, or 'done' once the tunnel ended. */
export async function handleConnect(ctx: RequestContext, st: RequestState, s: ConnectSettings): Promise<HttpError | 'done'> {
  const raw = ctx.target.unparsed;
  const t = parseConnectTarget(raw);
  if (!t) return httpError(400, `AH01018: Bad request: ${raw}`);
  const remote: RemoteProxy | null = await chooseRemote(st, s.conf, raw);
  const addrs = await resolveAll(t.host);
  if (addrs.length === 0) return httpError(502, `AH01019: DNS lookup failure for: ${t.host}`, `DNS lookup failure for: ${t.host}`);
  const blocked = await checkBlock(ctx, st, s.conf, t.host, remote === null);
  if (blocked) return blocked;
  if (!portAllowed(s.allowed, t.port)) {
    return { ...blockedError(), logMessage: `AH01021: connect to remote machine ${t.host}:${t.port} blocked: port not in AllowCONNECT` };
  }
  const up = ctx.upgrade;
  if (!up) return httpError(500, 'AH01020: CONNECT without its connection');
  let conn: Connected = { ok: false, code: 'EADDRNOTAVAIL' };
  if (remote) {
    conn = await connectTo(remote.hostname, remote.port, s.timeoutMs, remote.protocol === 'https');
  } else {
    for (const a of addrs) {
      conn = await connectTo(a, t.port, s.timeoutMs);
      if (conn.ok) break;
    }
  }
  if (!conn.ok) {
    const where = remote ? `${remote.hostname}:${remote.port}` : `${t.host}:${t.port}`;
    return httpError(503, `AH00957: CONNECT: attempt to connect to ${where} failed (${conn.code})`);
  }
  const backend = conn.socket;
  up.taken = true;
  const client = up.socket;
  if (remote) {
    let line = `CONNECT ${raw} HTTP/1.0\r\n`;
    if (remote.auth) line += `Proxy-Authorization: ${remote.auth}\r\n`;
    backend.write(`${line}Proxy-agent: ${s.banner}\r\n\r\n`, 'latin1');
  } else {
    client.write(`HTTP/1.0 200 Connection Established\r\nProxy-agent: ${s.banner}\r\n\r\n`, 'latin1');
  }
  ctx.res.statusCode = 200;
  ctx.status = 200;
  if (up.head.length) backend.write(up.head);
  const why = await tunnel(client, backend, s.timeoutMs);
  if (why === 'timeout') {
    requestErrorLog(st).log('info', 'proxy_connect', `AH10224: tunnel timed out`, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
  }
  return 'done';
}
