/**
 * Real servers for the proxy runtime tests: a configurable backend that counts its open sockets,
 * and a front server that proxies every request to one target with forward().
 */
import http from 'node:http';
import net from 'node:net';
import { listenTracked } from '../../../runtime/testkit.js';
import { canonHttpUrl, prepareUri } from './canon.js';
import { forward, type ForwardOptions, type ForwardOutcome } from './forward.js';
import { createWorkerPool } from './pool.js';
import type { Pool } from 'undici';

export interface Backend {
  port: number;
  /** Currently open TCP connections to the backend. */
  open(): number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

/** A raw TCP backend: `onRequest` gets the socket and the request head (up to the blank line). */
export async function rawBackend(onRequest: (sock: net.Socket, head: string, rest: Buffer) => void): Promise<Backend> {
  const srv = net.createServer((s) => {
    s.on('error', () => {});
    let buf = Buffer.alloc(0);
    let seen = false;
    s.on('data', (d) => {
      if (seen) return;
      buf = Buffer.concat([buf, d]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      seen = true;
      onRequest(s, buf.subarray(0, i).toString('latin1'), buf.subarray(i + 4));
    });
  });
  return listenTracked(srv);
}

/** A node:http backend. */
export async function httpBackend(handler: http.RequestListener): Promise<Backend> {
  return listenTracked(http.createServer(handler));
}

export interface Front {
  port: number;
  outcomes: ForwardOutcome[];
  pool: Pool;
  close(): Promise<void>;
}

/**
 * Proxies `/…` to `http://127.0.0.1:<backendPort><targetPrefix>/…` (ProxyPass / <prefix>/).
 * Errors are answered with their status and the reason (or log message) as the body.
 */
export async function startFront(
  backendPort: number,
  extra: Partial<ForwardOptions> & { targetPrefix?: string; poolTimeoutMs?: number; targetHost?: string } = {},
): Promise<Front> {
  const origin = `http://${extra.targetHost ?? `127.0.0.1:${backendPort}`}`;
  const timeoutMs = extra.poolTimeoutMs ?? 5000;
  const pool = createWorkerPool(origin, { connectTimeoutMs: timeoutMs, timeoutMs, max: 8 });
  const outcomes: ForwardOutcome[] = [];
  const perConn = new WeakMap<net.Socket, number>();
  const srv = http.createServer(async (req, res) => {
    const n = (perConn.get(req.socket) ?? 0) + 1;
    perConn.set(req.socket, n);
    const prep = prepareUri(req.url ?? '/');
    if (!prep.ok) {
      res.writeHead(prep.error.status).end();
      return;
    }
    const host = extra.targetHost ?? `127.0.0.1:${backendPort}`;
    const target = canonHttpUrl(`http://${host}${extra.targetPrefix ?? ''}${prep.value.uri}`, { args: prep.value.target.args });
    if (!target || !target.ok) {
      res.writeHead(target ? target.error.status : 500).end();
      return;
    }
    const out = await forward(req, res, {
      target: target.value,
      dispatcher: pool,
      reuse: true,
      timeoutMs,
      serverName: 'front.test',
      serverPort: (req.socket.localPort as number) ?? 80,
      clientIp: req.socket.remoteAddress ?? '',
      firstRequestOnConnection: n === 1,
      sendContinue: () => res.writeContinue(),
      ...extra,
    });
    outcomes.push(out);
    if (out.kind === 'error') {
      res.writeHead(out.error.status, { 'Content-Type': 'text/plain' }).end(out.error.reason ?? out.error.logMessage);
    } else if (out.kind === 'drop') {
      req.socket.destroy();
    } else if (out.kind === 'local') {
      res.writeHead(200, { Allow: 'GET,HEAD,POST,OPTIONS' }).end();
    }
  });
  srv.on('checkContinue', (req, res) => srv.emit('request', req, res));
  const listening = await listenTracked(srv);
  return {
    port: listening.port,
    outcomes,
    pool,
    close: async () => {
      await listening.close();
      await pool.destroy();
    },
  };
}

export interface RawResponse {
  head: string;
  status: number;
  headers: [string, string][];
  body: Buffer;
  /** True when the connection ended before a complete message (short body or no final chunk). */
  truncated: boolean;
}

/** Sends raw bytes, collects everything until the server closes, and parses one response. */
export async function rawExchange(port: number, request: string | Buffer, timeoutMs = 15000): Promise<RawResponse> {
  const data = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('no answer in time'));
    }, timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
  return parseResponse(data);
}

export function parseResponse(data: Buffer): RawResponse {
  const i = data.indexOf('\r\n\r\n');
  const head = (i >= 0 ? data.subarray(0, i) : data).toString('latin1');
  const lines = head.split('\r\n');
  const status = Number(lines[0]?.split(' ')[1] ?? 0);
  const headers = lines.slice(1).map((l) => {
    const c = l.indexOf(':');
    return [l.slice(0, c), l.slice(c + 1).trim()] as [string, string];
  });
  const rest = i >= 0 ? data.subarray(i + 4) : Buffer.alloc(0);
  const h = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1];
  if (h('transfer-encoding')?.toLowerCase() === 'chunked') {
    const parts: Buffer[] = [];
    let p = 0;
    for (;;) {
      const eol = rest.indexOf('\r\n', p);
      if (eol < 0) return { head, status, headers, body: Buffer.concat(parts), truncated: true };
      const size = parseInt(rest.subarray(p, eol).toString('latin1'), 16);
      if (size === 0) return { head, status, headers, body: Buffer.concat(parts), truncated: false };
      if (eol + 2 + size > rest.length) {
        parts.push(rest.subarray(eol + 2));
        return { head, status, headers, body: Buffer.concat(parts), truncated: true };
      }
      parts.push(rest.subarray(eol + 2, eol + 2 + size));
      p = eol + 2 + size + 2;
    }
  }
  const cl = h('content-length');
  return { head, status, headers, body: rest, truncated: cl !== undefined && rest.length < Number(cl) };
}

/** Waits until `cond()` holds (polling), failing after `ms` with `what` in the message. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not reached after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
