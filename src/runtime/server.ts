/**
 * A small HTTP/1.1 server core: node:http listeners on several addresses, httpd's request-size
 * limits, and a fixed pipeline of phases that modules register hooks into (like httpd's hooks).
 * Errors stay values until `sendError` turns them into a status line and httpd's error page.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { dropsConnection, errorPage, STATUS_LINES } from './error-page.js';
import { httpError, type HttpError } from './http-error.js';
import { prepareUri, type EncodedSlashes, type RequestTarget } from './uri.js';
import { headerList, listGet, listNames, listObject, listReplay } from './held-headers.js';

export const PHASES = ['post_read', 'translate', 'map_to_storage', 'access', 'fixups', 'handler', 'log'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * What a hook returns: `declined` lets the next hook of the phase run; `ok` ends a run-first
 * phase (translate, map_to_storage, handler); `done` means the response was fully dealt with and
 * the remaining phases (except log) are skipped; an HttpError ends the request with that error.
 */
export type HookResult = 'declined' | 'ok' | 'done' | HttpError;

export type Hook = (ctx: RequestContext) => HookResult | Promise<HookResult>;

const RUN_FIRST: ReadonlySet<Phase> = new Set<Phase>(['translate', 'map_to_storage', 'handler']);

export interface ConnectionInfo {
  localIp: string;
  localPort: number;
  peerIp: string;
  peerPort: number;
  /** Requests read on this connection before the current one. */
  keepAlives: number;
  /** Per-connection data of modules (e.g. the vhost chain). */
  data: Map<symbol, unknown>;
}

/** One request as the phases see it (httpd's request_rec, reduced). */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  conn: ConnectionInfo;
  method: string;
  protocol: string;
  requestLine: string;
  target: RequestTarget;
  /** `r->uri`: decoded and normalised (hooks may rewrite it). */
  uri: string;
  /** The path after normalisation but before %-decoding (for `mapping=encoded`). */
  encodedUri: string;
  args: string | null;
  /** Core per-request settings post_read hooks may set before the URI is decoded. */
  core: { allowEncodedSlashes: EncodedSlashes; mergeSlashes: boolean };
  env: Map<string, string>;
  notes: Map<string, string>;
  filename?: string;
  handler?: string;
  user?: string;
  /** Per-request data of modules. */
  data: Map<symbol, unknown>;
  /** Status sent (or about to be sent). */
  status: number;
  /** Response body bytes written; null before any. */
  bytesSent: number | null;
  /** Request start, µs since the epoch. */
  startUs: number;
  /** Sends `100 Continue` once if the client asked for it. */
  sendContinue(): void;
  /** True when the client went away before the response was complete. */
  aborted: boolean;
  /**
   * Set for a request asking to switch protocols (`Connection: Upgrade`): the client's socket
   * and the bytes read past the request head. A handler that takes the socket over (a tunnel)
   * sets `taken`; otherwise the connection is closed once the response is sent.
   */
  upgrade?: UpgradeRequest;
}

export interface UpgradeRequest {
  socket: Duplex;
  head: Buffer;
  taken: boolean;
}

/**
 * TLS for the connections accepted on a local address (mod_ssl): the options of the server-side
 * TLSSocket (certificate context, SNICallback, client certificates), or null for plain HTTP.
 * Asked once per connection, so a reload changes the answer for new connections only.
 */
export type TlsProvider = (local: { ip: string; port: number }) => tls.TLSSocketOptions | null;

/** The ordered hooks of every phase. Build one in a test, or from modules. */
export class Pipeline implements PhaseRunner {
  private readonly hooks = new Map<Phase, HookEntry[]>();

  /**
   * Adds a hook after the ones registered before it. `before` puts it ahead of the first hook
   * of the phase with one of those names (httpd's predecessor lists, e.g. mod_rewrite's
   * translate before mod_proxy's); `last` keeps it behind every hook registered without it
   * (APR_HOOK_REALLY_LAST, e.g. the core's translate and default handler).
   */
  register(phase: Phase, name: string, hook: Hook, order: { before?: readonly string[]; last?: boolean } = {}): this {
    const list = this.hooks.get(phase) ?? [];
    const entry = { name, hook, last: order.last === true };
    let at = order.before ? list.findIndex((h) => order.before?.includes(h.name)) : -1;
    if (at < 0 && !entry.last) at = list.findIndex((h) => h.last);
    if (at < 0) list.push(entry);
    else list.splice(at, 0, entry);
    this.hooks.set(phase, list);
    return this;
  }

  /** Names of the hooks of a phase, in run order. */
  names(phase: Phase): string[] {
    return (this.hooks.get(phase) ?? []).map((h) => h.name);
  }

  /**
   * Runs one phase: first non-declined result for run-first phases, else all hooks until an
   * error or done. Hooks that answer at once are run without waiting a turn: the result is a
   * promise only once a hook returned one.
   */
  runPhase(phase: Phase, ctx: RequestContext): HookResult | Promise<HookResult> {
    const list = this.hooks.get(phase);
    return list ? runHooks(list, 0, RUN_FIRST.has(phase), phase, ctx) : 'declined';
  }
}

/** What the listeners run requests through: a Pipeline, or a dispatcher in front of several. */
export interface PhaseRunner {
  runPhase(phase: Phase, ctx: RequestContext): HookResult | Promise<HookResult>;
}

interface HookEntry {
  name: string;
  hook: Hook;
  last: boolean;
}

/** True for a promise (or any thenable) a hook or phase returned. */
export function isPending<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function hookFailed(name: string, phase: Phase, err: unknown): HttpError {
  return httpError(500, `hook ${name} in ${phase} failed: ${err instanceof Error ? err.message : String(err)}`);
}

function runHooks(list: readonly HookEntry[], from: number, first: boolean, phase: Phase, ctx: RequestContext): HookResult | Promise<HookResult> {
  for (let i = from; i < list.length; i++) {
    const { name, hook } = list[i];
    let r: HookResult | Promise<HookResult>;
    try {
      r = hook(ctx);
    } catch (err) {
      return hookFailed(name, phase, err);
    }
    if (isPending(r)) {
      return r.then(
        (v) => (v === 'declined' || (v === 'ok' && !first) ? runHooks(list, i + 1, first, phase, ctx) : v),
        (err: unknown) => hookFailed(name, phase, err),
      );
    }
    if (r === 'declined') continue;
    if (r === 'ok' && !first) continue;
    return r;
  }
  return 'declined';
}

export interface Listen {
  host: string;
  port: number;
}

export interface ServerLimits {
  /** LimitRequestLine (8190). */
  requestLine: number;
  /** LimitRequestFieldSize (8190). */
  fieldSize: number;
  /** LimitRequestFields (100). */
  fields: number;
}

export interface ServerOptions {
  listen: Listen[];
  /** Timeout (60 s): idle socket time while reading a request or writing a response. */
  timeoutMs?: number;
  /** KeepAlive (On). */
  keepAlive?: boolean;
  /** KeepAliveTimeout (5 s). */
  keepAliveTimeoutMs?: number;
  /** MaxKeepAliveRequests (100; 0 = unlimited). */
  maxKeepAliveRequests?: number;
  limits?: Partial<ServerLimits>;
  /** The `Server` header (ServerTokens); none when empty. */
  serverBanner?: string;
  /** ServerAdmin for the 500 page. */
  serverAdmin?: string;
  /** Reports errors that reach the edge (the error log). */
  onError?: (ctx: RequestContext | null, error: HttpError) => void;
  /**
   * Answers an error before the default page is sent (ErrorDocument). Returns true when it
   * wrote the response itself.
   */
  respondError?: (ctx: RequestContext, error: HttpError) => boolean | Promise<boolean>;
  /** TLS for connections (SSLEngine); without it every connection speaks plain HTTP. */
  tls?: TlsProvider;
}

const DEFAULT_LIMITS: ServerLimits = { requestLine: 8190, fieldSize: 8190, fields: 100 };

/** Writes httpd's error response for `error` (nothing if the status line already went out). */
export function sendError(ctx: Pick<RequestContext, 'res' | 'method'> & { status?: number }, error: HttpError, serverAdmin?: string): void {
  const res = ctx.res;
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const page = errorPage({
    status: error.status,
    method: ctx.method,
    ...(error.reason !== undefined ? { reason: error.reason } : {}),
    ...(error.notes !== undefined ? { notes: error.notes } : {}),
    ...(serverAdmin ? { serverAdmin } : {}),
    ...(error.headers?.Location !== undefined ? { location: error.headers.Location } : {}),
    ...(error.status === 417 && res.req?.headers.expect !== undefined ? { expect: String(res.req.headers.expect) } : {}),
  });
  for (const name of res.getHeaderNames()) if (name !== 'server') res.removeHeader(name);
  res.statusCode = error.status;
  res.statusMessage = page.statusMessage;
  for (const [k, v] of Object.entries(error.headers ?? {})) res.setHeader(k, v);
  if (dropsConnection(error.status)) res.setHeader('Connection', 'close');
  res.setHeader('Content-Type', 'text/html; charset=iso-8859-1');
  const body = Buffer.from(page.body, 'latin1');
  // A HEAD request gets the headers of the page without its length: httpd does not build the
  // body for it, so nothing counts it. Nor does an answer with the request body unread
  // (LimitRequestBody): it goes out up to the connection's close.
  if (error.unreadBody) res.useChunkedEncodingByDefault = false;
  else if (ctx.method !== 'HEAD') res.setHeader('Content-Length', body.length);
  if (ctx.status !== undefined) ctx.status = error.status;
  if (ctx.method === 'HEAD' || error.status === 204 || error.status === 304) res.end();
  else res.end(body);
}

function ignore(): void {
  /* client aborts surface through the response's 'close' */
}

/** `HTTP/1.1` etc. for the request's version (the common ones without building a string). */
function protocolOf(req: IncomingMessage): string {
  const v = req.httpVersion;
  return v === '1.1' ? 'HTTP/1.1' : v === '1.0' ? 'HTTP/1.0' : `HTTP/${v}`;
}

/** The phases of a request in order (`ap_process_request_internal`, then the handler). */
const REQUEST_PHASES = ['post_read', 'translate', 'map_to_storage', 'access', 'fixups', 'handler'] as const;

/**
 * Runs the request's phases from `from` on. A phase whose hooks answered at once is followed by
 * the next one without waiting a turn; the result is a promise only once some hook returned one.
 * Resolves with the error to answer with, or null once the response is dealt with.
 */
function runRequest(pipeline: PhaseRunner, ctx: RequestContext, from = 0): HttpError | null | Promise<HttpError | null> {
  for (let i = from; i < REQUEST_PHASES.length; i++) {
    const r = pipeline.runPhase(REQUEST_PHASES[i], ctx);
    if (isPending(r)) {
      return r.then((v) => {
        const out = afterPhase(ctx, i, v);
        return out === NEXT ? runRequest(pipeline, ctx, i + 1) : out;
      });
    }
    const out = afterPhase(ctx, i, r);
    if (out !== NEXT) return out;
  }
  return null;
}

const NEXT = Symbol('next phase');

function afterPhase(ctx: RequestContext, i: number, r: HookResult): HttpError | null | typeof NEXT {
  if (typeof r === 'object') return r;
  if (r === 'done') return null;
  const phase = REQUEST_PHASES[i];
  if (phase === 'handler') {
    return r === 'declined' ? httpError(404, `AH00128: File does not exist: ${ctx.filename ?? ctx.uri}`) : null;
  }
  if (phase === 'post_read') {
    // A CONNECT target is `host:port` (authority form): it has no path of its own.
    const url = ctx.req.url ?? '';
    const connect = ctx.method === 'CONNECT';
    const prep = prepareUri(connect ? '/' : url, ctx.core);
    if (!prep.ok) return prep.error;
    ctx.target = connect ? { ...prep.value.target, unparsed: url } : prep.value.target;
    ctx.uri = prep.value.uri;
    ctx.encodedUri = prep.value.encodedUri;
    ctx.args = prep.value.target.args;
  }
  return NEXT;
}

/**
 * Node's maxRequestsPerSocket for MaxKeepAliveRequests (0 = unlimited): httpd counts the
 * requests after the first, so MaxKeepAliveRequests 3 serves four on a connection.
 */
function requestsPerSocket(maxKeepAliveRequests: number): number {
  return maxKeepAliveRequests > 0 ? maxKeepAliveRequests + 1 : 0;
}

/** Checks httpd applies while reading the request (`ap_read_request`). */
function checkLimits(req: IncomingMessage, limits: ServerLimits): HttpError | null {
  // The length of `${req.method} ${req.url} HTTP/${req.httpVersion}`, without building it.
  const lineLength = String(req.method).length + String(req.url).length + 7 + req.httpVersion.length;
  if (lineLength > limits.requestLine) {
    return httpError(414, `AH00565: request failed: client's request-line exceeds LimitRequestLine (longer than ${limits.requestLine})`);
  }
  const raw = req.rawHeaders;
  if (raw.length / 2 > limits.fields) {
    return { ...httpError(400, 'AH00563: request failed: error reading the headers'), notes: "The number of request header fields exceeds this server's limit." };
  }
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].length + 2 + raw[i + 1].length > limits.fieldSize) {
      return { ...httpError(400, 'AH00561: Size of a request header field exceeds server limit.'), notes: 'Size of a request header field exceeds server limit.' };
    }
  }
  if (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1 && req.headers.host === undefined) {
    return httpError(400, 'AH00569: client sent HTTP/1.1 request without hostname (see RFC2616 section 14.23)');
  }
  return null;
}

export interface RunningServer {
  /** The addresses actually bound (port 0 resolved). */
  addresses: Listen[];
  /**
   * Stops listening. Abrupt by default (open connections are cut); `graceful` lets requests in
   * progress finish (idle keep-alive connections are closed at once) and cuts what is still open
   * after `graceMs`.
   */
  close(opts?: { graceful?: boolean; graceMs?: number }): Promise<void>;
  /**
   * Applies the settings of a reloaded configuration to these listeners (kept across the
   * reload): Timeout, KeepAlive, KeepAliveTimeout, MaxKeepAliveRequests, the request limits and
   * ServerAdmin. Connections already open keep the timeouts they were given; the largest
   * request head Node accepts stays the one computed at start.
   */
  update(opts: Omit<ServerOptions, 'listen'>): void;
}

/**
 * Starts listening on every address and runs each request through the pipeline. Resolves once
 * all listeners are bound; a bind failure is returned as an error value.
 */
export async function startServer(pipeline: PhaseRunner, opts: ServerOptions): Promise<{ ok: true; value: RunningServer } | { ok: false; error: string }> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  let timeoutMs = opts.timeoutMs ?? 60_000;
  /** Settings a reload may change (update()). */
  const live = {
    keepAlive: opts.keepAlive,
    serverAdmin: opts.serverAdmin,
    keepAliveTimeoutMs: opts.keepAliveTimeoutMs ?? 5000,
    maxKeepAliveRequests: opts.maxKeepAliveRequests ?? 100,
  };
  const banner = opts.serverBanner ?? 'featherd';
  const connInfo = new WeakMap<Socket, ConnectionInfo>();
  const servers: http.Server[] = [];
  /** The listening sockets: the HTTP servers themselves, or the TCP servers in front of TLS. */
  const fronts: net.Server[] = [];
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  };
  /** Set by a graceful close: responses ask the client to close the connection. */
  let draining = false;

  /** Once the response is closed: the log phase, and a graceful close's wait for this connection. */
  const closed = (ctx: RequestContext): void => {
    ctx.aborted = !ctx.res.writableFinished;
    ctx.status = ctx.res.statusCode;
    void pipeline.runPhase('log', ctx);
    // A graceful close waits for this connection: let it go once its response is out.
    if (draining) for (const s of servers) s.closeIdleConnections();
  };

  /** The response's 'close' listener (one function for all requests: the response knows its request). */
  function onResponseClose(this: CountingResponse): void {
    if (this.ctx) closed(this.ctx);
  }

  const fail = async (ctx: RequestContext, e: HttpError): Promise<void> => {
    const res = ctx.res;
    opts.onError?.(ctx, e);
    if (opts.respondError && !res.headersSent && !res.destroyed) {
      let handled = false;
      try {
        handled = await opts.respondError(ctx, e);
      } catch {
        handled = false;
      }
      if (handled) return;
    }
    sendError(ctx, e, live.serverAdmin);
  };

  const finish = (ctx: RequestContext, err: HttpError | null): void => {
    if (ctx.upgrade?.taken) return;
    const res = ctx.res;
    if (err) void fail(ctx, err);
    else if (!res.writableEnded && !res.destroyed && !res.headersSent) res.end();
  };

  const handle = (req: IncomingMessage, res: ServerResponse, upgrade?: UpgradeRequest): void => {
    const sock = req.socket;
    let conn = connInfo.get(sock);
    if (!conn) {
      conn = { localIp: sock.localAddress ?? '', localPort: sock.localPort ?? 0, peerIp: sock.remoteAddress ?? '', peerPort: sock.remotePort ?? 0, keepAlives: 0, data: new Map() };
      connInfo.set(sock, conn);
    } else {
      conn.keepAlives++;
    }
    // The Server header goes into the response's headers on their first use (holdHeaders).
    (res as CountingResponse).banner = banner;
    (res as CountingResponse).untouched = true;
    if (live.keepAlive === false || draining) res.shouldKeepAlive = false;
    else if (res.shouldKeepAlive) {
      // httpd counts down `max=` from MaxKeepAliveRequests (no `max=` when it is 0, unlimited).
      (res as CountingResponse).keepAlive = asksKeepAlive(req) ? keepAliveValue(live, conn.keepAlives) : null;
    }
    const method = req.method ?? 'GET';
    const protocol = protocolOf(req);
    let continued = false;
    const ctx: RequestContext = {
      req,
      res,
      conn,
      method,
      protocol,
      requestLine: `${method} ${req.url ?? ''} ${protocol}`,
      target: { unparsed: req.url ?? '', path: '', args: null },
      uri: '',
      encodedUri: '',
      args: null,
      core: { allowEncodedSlashes: 'off', mergeSlashes: true },
      env: new Map(),
      notes: new Map(),
      data: new Map(),
      status: 200,
      bytesSent: null,
      startUs: Math.floor((performance.timeOrigin + performance.now()) * 1000),
      aborted: false,
      sendContinue: () => {
        if (!continued && /100-continue/i.test(String(req.headers.expect ?? ''))) {
          continued = true;
          res.writeContinue();
        }
      },
    };
    if (upgrade) ctx.upgrade = upgrade;
    (res as CountingResponse).ctx = ctx;
    // A response emits 'close' once: a plain listener needs no once() wrapper per request.
    res.on('close', onResponseClose);
    req.on('error', ignore);

    const limitErr = checkLimits(req, limits);
    if (limitErr) return void fail(ctx, limitErr);
    const err = runRequest(pipeline, ctx);
    if (isPending(err)) void err.then((e) => finish(ctx, e));
    else finish(ctx, err);
  };

  for (const l of opts.listen) {
    const srv = http.createServer({
      // Node's typing wants the generic constructor; CountingResponse only adds a field.
      ServerResponse: CountingResponse as unknown as typeof http.ServerResponse,
      maxHeaderSize: limits.requestLine + limits.fields * (limits.fieldSize + 4) + 1024,
      requestTimeout: 0,
      headersTimeout: timeoutMs,
      keepAliveTimeout: live.keepAliveTimeoutMs,
      // A missing Host is answered with httpd's 400 page by checkLimits, not by Node.
      requireHostHeader: false,
    });
    srv.maxRequestsPerSocket = requestsPerSocket(live.maxKeepAliveRequests);
    srv.timeout = timeoutMs;
    srv.on('request', (req, res) => void handle(req, res));
    const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
      // Node hands over requests with `Connection: Upgrade` here, outside its response cycle:
      // the response is written to the socket directly, and the connection ends after it.
      socket.on('error', () => socket.destroy());
      const res = new CountingResponse(req);
      res.assignSocket(socket as Socket);
      res.shouldKeepAlive = false;
      const up: UpgradeRequest = { socket, head, taken: false };
      res.on('finish', () => {
        if (!up.taken) socket.end();
      });
      void handle(req, res, up);
    };
    // Requests with `Connection: Upgrade` are ordinary requests (no 'upgrade' listener): a handler
    // that switches protocols takes the socket over then (proxy upgrade.ts), and one that does
    // not leaves the connection open for more requests, as httpd does.
    // CONNECT requests (mod_proxy_connect) are handed over: the tunnel takes the socket over.
    srv.on('connect', onUpgrade);
    srv.on('checkContinue', (req, res) => void handle(req, res));
    srv.on('checkExpectation', (req, res) => sendError({ res, method: req.method ?? 'GET' }, httpError(417, `AH00570: client sent an unrecognized expectation value of Expect: ${String(req.headers.expect)}`)));
    srv.on('connection', track);
    srv.on('clientError', (err: Error & { code?: string }, socket: Socket) => {
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      socket.end(rawErrorResponse(status, banner), 'latin1');
    });
    const provider = opts.tls;
    const front: net.Server = provider ? net.createServer((raw) => acceptTls(srv, raw, provider, timeoutMs, banner)) : srv;
    if (provider) front.on('connection', track);
    const bound = await new Promise<string | null>((resolve) => {
      front.once('error', (e) => resolve(e.message));
      front.listen(l.port, l.host, () => resolve(null));
    });
    if (bound !== null) {
      await Promise.all(fronts.map((s) => new Promise<void>((r) => s.close(() => r()))));
      return { ok: false, error: `(98)Address already in use: AH00072: make_sock: could not bind to address ${l.host}:${l.port}: ${bound}` };
    }
    // The HTTP server behind a TLS front does not listen itself: let it track its connections
    // (headers timeout, idle connections) as if it did.
    if (provider) srv.emit('listening');
    servers.push(srv);
    fronts.push(front);
  }
  return {
    ok: true,
    value: {
      addresses: fronts.map((s) => {
        const a = s.address() as AddressInfo;
        return { host: a.address, port: a.port };
      }),
      update: (u) => {
        timeoutMs = u.timeoutMs ?? 60_000;
        live.keepAlive = u.keepAlive;
        live.serverAdmin = u.serverAdmin;
        live.keepAliveTimeoutMs = u.keepAliveTimeoutMs ?? 5000;
        live.maxKeepAliveRequests = u.maxKeepAliveRequests ?? 100;
        Object.assign(limits, DEFAULT_LIMITS, u.limits);
        for (const srv of servers) {
          srv.headersTimeout = timeoutMs;
          srv.timeout = timeoutMs;
          srv.keepAliveTimeout = live.keepAliveTimeoutMs;
          srv.maxRequestsPerSocket = requestsPerSocket(live.maxKeepAliveRequests);
        }
      },
      close: async (c = {}) => {
        const closing = Promise.all(fronts.map((s) => new Promise<void>((r) => s.close(() => r()))));
        for (const s of servers) if (!s.listening) s.close(() => undefined);
        if (!c.graceful) {
          for (const s of sockets) s.destroy();
          await closing;
          return;
        }
        draining = true;
        for (const s of servers) s.closeIdleConnections();
        const timer = setTimeout(() => {
          for (const s of sockets) s.destroy();
        }, c.graceMs ?? 30_000);
        await closing;
        clearTimeout(timer);
      },
    },
  };
}

/**
 * httpd's error response for a connection that ends with it, written to the socket as one
 * latin1 string (for errors found before there is a request to answer).
 */
function rawErrorResponse(status: number, banner: string, notes?: string): string {
  const page = errorPage({ status, method: 'GET', ...(notes !== undefined ? { notes } : {}) });
  return `HTTP/1.1 ${status} ${STATUS_LINES[status]}\r\n${banner ? `Server: ${banner}\r\n` : ''}Content-Length: ${Buffer.byteLength(page.body, 'latin1')}\r\nConnection: close\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n${page.body}`;
}

/**
 * A connection to a TLS-capable listener: the TLS handshake (SNI picks the certificate), then
 * the HTTP server reads from the TLS socket. A client speaking plain HTTP gets httpd's 400.
 */
function acceptTls(srv: http.Server, raw: Socket, provider: TlsProvider, timeoutMs: number, banner: string): void {
  raw.on('error', () => raw.destroy());
  let setup: tls.TLSSocketOptions | null;
  try {
    setup = provider({ ip: raw.localAddress ?? '', port: raw.localPort ?? 0 });
  } catch {
    setup = null;
  }
  if (!setup) {
    srv.emit('connection', raw);
    return;
  }
  const t = new tls.TLSSocket(raw, { ...setup, isServer: true });
  raw.setTimeout(timeoutMs, () => raw.destroy());
  t.on('error', (e: Error & { code?: string }) => {
    if (e.code === 'ERR_SSL_HTTP_REQUEST' && raw.writable) {
      raw.end(rawErrorResponse(400, banner, "Reason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n Instead use the HTTPS scheme to access this URL, please.<br />\n"), 'latin1');
      return;
    }
    t.destroy();
    raw.destroy();
  });
  t.once('secure', () => {
    raw.setTimeout(0);
    srv.emit('connection', t);
  });
}

/**
 * The responses of featherd's listeners: body bytes written through `write`/`end` are counted
 * into the request's `bytesSent` (none for HEAD).
 */
class CountingResponse extends http.ServerResponse {
  ctx: RequestContext | null = null;
  /**
   * How the response says the connection stays open (httpd's ap_set_keepalive), decided when
   * the request arrives and applied when the headers go out: `Keep-Alive: <value>` with
   * `Connection: Keep-Alive` for a client that asked with `Connection: keep-alive`; no
   * Connection header at all for an HTTP/1.1 client that did not (Node would add
   * `Connection: keep-alive`): the Keep-Alive value, or null for no header. Undefined: Node's
   * own headers (a connection that closes says `Connection: close`, as httpd's does).
   */
  keepAlive: string | null | undefined = undefined;
  /** The Server header, not yet in the headers while `untouched`. */
  banner = '';
  /** No header method was called yet (the Server header is still to be set). */
  untouched = false;
  /** The headers as one flat list instead of Node's table (held-headers.ts). */
  held: string[] | null = null;
}

type HeaderMethod = (this: http.ServerResponse, ...args: unknown[]) => unknown;
const proto = http.ServerResponse.prototype as unknown as Record<string, HeaderMethod>;
const baseSetHeader = proto.setHeader;

/** Puts the pending Server header, or the held list, into Node's header table. */
function toTable(res: CountingResponse): void {
  if (res.untouched) {
    res.untouched = false;
    if (res.banner) baseSetHeader.call(res, 'Server', res.banner);
  }
  const held = res.held;
  if (held !== null) {
    res.held = null;
    listReplay(held, (name, value) => baseSetHeader.call(res, name, value));
  }
}

/**
 * Sets the headers of a response in one step when nothing touched its headers yet: as
 * `setHeader(names[i], values[i])` for each `i < n` in order (`lows` lowercased, each name at
 * most once), but held as one list that Node writes without building its header table.
 * Returns false, doing nothing, for a response this does not apply to: the caller then sets the
 * headers one by one.
 */
export function holdHeaders(res: ServerResponse, names: readonly string[], lows: readonly string[], values: readonly (string | string[])[], n: number): boolean {
  if (!(res instanceof CountingResponse) || !res.untouched || res.headersSent) return false;
  // A writeHead wrapped for this response (mod_headers): Node's table.
  if (Object.hasOwn(res, 'writeHead')) return false;
  res.untouched = false;
  res.held = headerList(res.banner, names, lows, values, n);
  return true;
}

// Header methods see the held list, or move it (and the pending Server header) into Node's table
// before a change. Once the head is sent Node's own errors answer a change.
for (const name of ['setHeader', 'appendHeader', 'setHeaders']) {
  const base = proto[name];
  if (typeof base !== 'function') continue;
  (CountingResponse.prototype as unknown as Record<string, HeaderMethod>)[name] = function (this: CountingResponse, ...args: unknown[]): unknown {
    if (!this.headersSent) toTable(this);
    return base.apply(this, args);
  } as HeaderMethod;
}
const baseRemoveHeader = proto.removeHeader;
CountingResponse.prototype.removeHeader = function removeHeader(this: CountingResponse, name: string): void {
  // Removing a name the list does not have only sets Node's flags (e.g. no Connection header).
  if (!this.headersSent && !(this.held !== null && listGet(this.held, name) === undefined)) toTable(this);
  baseRemoveHeader.call(this, name);
};
const getters: [string, (list: string[], args: unknown[]) => unknown][] = [
  ['getHeader', (list, args) => listGet(list, String(args[0]))],
  ['hasHeader', (list, args) => listGet(list, String(args[0])) !== undefined],
  ['getHeaders', (list) => listObject(list)],
  ['getHeaderNames', (list) => listNames(list, true)],
  ['getRawHeaderNames', (list) => listNames(list, false)],
];
for (const [name, fromList] of getters) {
  const base = proto[name];
  (CountingResponse.prototype as unknown as Record<string, HeaderMethod>)[name] = function (this: CountingResponse, ...args: unknown[]): unknown {
    if (this.held !== null) return fromList(this.held, args);
    if (this.untouched && !this.headersSent) toTable(this);
    return base.apply(this, args);
  } as HeaderMethod;
}

const baseWriteHead = http.ServerResponse.prototype.writeHead as unknown as (this: http.ServerResponse, ...args: unknown[]) => http.ServerResponse;
CountingResponse.prototype.writeHead = function writeHead(this: CountingResponse, ...args: unknown[]): http.ServerResponse {
  if (this.untouched && !this.headersSent) toTable(this);
  const ka = this.keepAlive;
  // A response that closes the connection (an error httpd drops it for, the last request
  // allowed on it) keeps the `Connection: close` that Node or the handler gives it.
  // Node sets maxRequestsOnConnectionReached on the last request maxRequestsPerSocket allows (not in its typings).
  const last = (this as unknown as { maxRequestsOnConnectionReached?: boolean }).maxRequestsOnConnectionReached === true;
  if (ka !== undefined && this.shouldKeepAlive && !last && !this.hasHeader('connection')) {
    if (ka !== null) {
      const list = this.held;
      // Names a held list does not have go at its end, as setHeader adds them to the table.
      if (list !== null && listGet(list, 'keep-alive') === undefined) list.push('Keep-Alive', ka, 'Connection', 'Keep-Alive');
      else {
        this.setHeader('Keep-Alive', ka);
        this.setHeader('Connection', 'Keep-Alive');
      }
    } else {
      this.removeHeader('Connection');
    }
  }
  const held = this.held;
  if (held !== null && !this.headersSent) {
    // writeHead(status[, message]) as Node's implicit head calls it: the list is the headers.
    if (args.length === 1 || (args.length === 2 && typeof args[1] === 'string')) return baseWriteHead.call(this, ...args, held);
    toTable(this);
  }
  return baseWriteHead.apply(this, args);
} as unknown as CountingResponse['writeHead'];

/** The Keep-Alive header of a response to the request after `keepAlives` others on its connection. */
function keepAliveValue(live: { keepAliveTimeoutMs: number; maxKeepAliveRequests: number }, keepAlives: number): string {
  const timeout = `timeout=${Math.floor(live.keepAliveTimeoutMs / 1000)}`;
  return live.maxKeepAliveRequests > 0 ? `${timeout}, max=${live.maxKeepAliveRequests - keepAlives}` : timeout;
}

/** Whether a request's Connection header has the `keep-alive` token. */
function asksKeepAlive(req: IncomingMessage): boolean {
  const c = req.headers.connection;
  return c !== undefined && /(?:^|,)\s*keep-alive\s*(?:,|$)/i.test(c);
}

function countBody(res: CountingResponse, chunk: unknown, encoding: unknown): void {
  const ctx = res.ctx;
  if (ctx === null || chunk === undefined || chunk === null || typeof chunk === 'function') return;
  const n = typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : (chunk as Uint8Array).length;
  if (ctx.method === 'HEAD') return;
  ctx.bytesSent = (ctx.bytesSent ?? 0) + n;
}

// Node's overloads of write/end are kept: the arguments are passed on as they came.
type Untyped<R> = (this: http.ServerResponse, a?: unknown, b?: unknown, c?: unknown) => R;
const baseWrite = http.ServerResponse.prototype.write as unknown as Untyped<boolean>;
const baseEnd = http.ServerResponse.prototype.end as unknown as Untyped<http.ServerResponse>;
CountingResponse.prototype.write = function write(this: CountingResponse, a?: unknown, b?: unknown, c?: unknown): boolean {
  countBody(this, a, b);
  return baseWrite.call(this, a, b, c);
} as unknown as CountingResponse['write'];
CountingResponse.prototype.end = function end(this: CountingResponse, a?: unknown, b?: unknown, c?: unknown): http.ServerResponse {
  countBody(this, a, b);
  return baseEnd.call(this, a, b, c);
} as unknown as CountingResponse['end'];
