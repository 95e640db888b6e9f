/**
 * Connection pools for proxy workers: one undici `Pool` per worker per process, sized and timed
 * like httpd's worker (notes/proxy-semantics.md §4.2).
 */
import type { Pool, buildConnector } from 'undici';
import type { NetLoc } from './canon.js';
import { httpError, type HttpResult } from '../../../runtime/http-error.js';
import { undici } from './undici.js';

/** The worker parameters that shape the pool. Times in milliseconds. */
export interface WorkerSettings {
  /** `max=`: connections per process (httpd's default is ThreadsPerChild, 25 on Debian). */
  max?: number;
  /**
   * `ttl=`: idle time before a pooled connection is closed. httpd never reuses a connection idle
   * longer than ttl either, but keeps up to `smax=` of them open until they are next asked for;
   * featherd closes them all after ttl, so smax= changes nothing the backend could observe but
   * the number of idle sockets.
   */
  ttlMs?: number;
  /** `connectiontimeout=` (falls back to `timeout=` → ProxyTimeout → Timeout in the compiler). */
  connectTimeoutMs: number;
  /** `timeout=` (→ ProxyTimeout → Timeout): waiting for the status line and between body reads. */
  timeoutMs: number;
  /**
   * `keepalive=On`: TCP keep-alive probes on the backend connections (SO_KEEPALIVE, the system's
   * timings); off by default as in httpd.
   */
  tcpKeepAlive?: boolean;
  /** `disablereuse=On`: a connection serves one request. */
  disableReuse?: boolean;
  /** How connections are made when not plain TCP (TLS backends: tls-backend.ts). */
  connector?: buildConnector.connector;
  /** A Unix domain socket to connect to instead of the origin's host and port (`unix:/path|http://…`). */
  socketPath?: string;
}

export const DEFAULT_MAX_CONNECTIONS = 25;

/** Origin (`scheme://host[:port]`) of a parsed target, as undici wants it. */
export function originOf(netloc: NetLoc): HttpResult<string> {
  const scheme = netloc.scheme === 'wss' ? 'https' : netloc.scheme === 'ws' ? 'http' : netloc.scheme;
  const host = netloc.host.includes(':') ? `[${netloc.host}]` : netloc.host;
  // A host name that is not a valid name cannot be resolved; httpd reports a DNS failure (500).
  if (!/^[A-Za-z0-9._~!$&'()*+,;=%-]+$/.test(netloc.host) && !(netloc.host.includes(':') && /^[0-9A-Fa-f:.]+$/.test(netloc.host))) {
    return { ok: false, error: httpError(500, `AH00898: DNS lookup failure for: ${netloc.host}`, `DNS lookup failure for: ${netloc.host}`) };
  }
  try {
    return { ok: true, value: new URL(`${scheme}://${host}:${netloc.port}`).origin };
  } catch {
    return { ok: false, error: httpError(500, `AH00898: DNS lookup failure for: ${netloc.host}`, `DNS lookup failure for: ${netloc.host}`) };
  }
}

/** Creates the pool of one worker. */
export function createWorkerPool(origin: string, s: WorkerSettings): Pool {
  const keepAlive = s.ttlMs && s.ttlMs > 0 ? s.ttlMs : 4000;
  return new (undici().Pool)(origin, {
    connections: s.max ?? DEFAULT_MAX_CONNECTIONS,
    pipelining: 1,
    keepAliveTimeout: keepAlive,
    keepAliveMaxTimeout: s.ttlMs && s.ttlMs > 0 ? s.ttlMs : 600_000,
    connect: s.connector ?? {
      timeout: s.connectTimeoutMs,
      keepAlive: s.tcpKeepAlive === true,
      keepAliveInitialDelay: 0,
      ...(s.socketPath !== undefined ? { socketPath: s.socketPath } : {}),
    },
    headersTimeout: s.timeoutMs,
    bodyTimeout: s.timeoutMs,
  });
}

/**
 * httpd's generic `proxy:reverse` worker, used when no defined worker covers the target URL:
 * no keep-alive, one small pool per origin created on demand.
 */
export class GenericWorker {
  private readonly pools = new Map<string, Pool>();
  constructor(private readonly settings: WorkerSettings) {}

  poolFor(netloc: NetLoc): HttpResult<Pool> {
    const origin = originOf(netloc);
    if (!origin.ok) return origin;
    let pool = this.pools.get(origin.value);
    if (!pool) {
      pool = createWorkerPool(origin.value, { ...this.settings, disableReuse: true });
      this.pools.set(origin.value, pool);
    }
    return { ok: true, value: pool };
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy()));
  }
}
