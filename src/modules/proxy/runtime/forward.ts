/**
 * mod_proxy_http's request/response exchange: send the client's request to a backend through
 * an undici dispatcher and stream the response back with backpressure
 * (notes/proxy-semantics.md §5–§8, §11).
 *
 * Failures are returned as values: before anything was sent to the client the caller turns
 * `{ kind: 'error' }` into httpd's error page; once the status line is out, a backend failure
 * cuts the client connection as httpd does (the client sees a short body).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { CanonUrl } from './canon.js';
import { REVERSE_MAPPED_HEADERS, reverseMapCookie, reverseMapUrl, type ReverseRules, type UrlBase } from './reverse.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { holdHeaders } from '../../../runtime/server.js';
import { handshakeError, isHandshakeFailure } from './tls-backend.js';
import { needsOwnExchange, ownExchange } from './legacy.js';

export type ViaMode = 'off' | 'on' | 'full' | 'block';

export interface ForwardOptions {
  /** The canonicalised target (canon.ts `canonHttpUrl`). */
  target: CanonUrl;
  /** The worker's pool (pool.ts). */
  dispatcher: Dispatcher;
  /** False for disablereuse, the generic worker or env proxy-nokeepalive: `Connection: close`. */
  reuse: boolean;
  /** Worker/Proxy timeout in ms: waiting for the status line, and between body reads. */
  timeoutMs: number;
  preserveHost?: boolean;
  /** ProxyAddHeaders (default On). */
  addHeaders?: boolean;
  via?: ViaMode;
  /** Comment added by `ProxyVia Full`. */
  viaComment?: string;
  /** ServerName of the virtual host (Via, X-Forwarded-Server, Host fallback). */
  serverName: string;
  /** The server port as `ap_get_server_port` gives it (Via; left out when it is the scheme's default). */
  serverPort: number;
  /** `ProxyMaxForwards` (-1 = add nothing when the client sent none). */
  maxForwards?: number;
  /** Client address after mod_remoteip (`r->useragent_ip`). */
  clientIp: string;
  /** ProxyPassReverse and cookie maps; `urlBase` makes relative results absolute. */
  reverse?: ReverseRules;
  urlBase?: UrlBase;
  /** This server authenticated the user (`r->user` set): Proxy-Authorization is not forwarded. */
  authenticatedUser?: boolean;
  /** env `Proxy-Chain-Auth`: forward Proxy-Authorization even then. */
  chainAuth?: boolean;
  /**
   * False when this is not the first request on the client's connection. httpd then answers a
   * failed status-line read (not a timeout) by closing the connection so the client retries.
   */
  firstRequestOnConnection?: boolean;
  /** Called once, when the backend starts taking the request body (sends `100 Continue`). */
  sendContinue?: () => void;
  /**
   * ProxyErrorOverride: true for a backend status httpd answers with its own error response.
   * The backend body is then read and dropped and the outcome is `override`.
   */
  errorOverride?: (status: number) => boolean;
  /**
   * How a chunked request body longer than the 16 KiB prefetch is sent: `stream` and `chunked`
   * (default, env proxy-sendchunked) stream it chunked; `spool` (env proxy-sendcl /
   * force-proxy-request-1.0) reads it whole and sends it with Content-Length. A body with a
   * Content-Length is always streamed with it.
   */
  requestBody?: 'stream' | 'chunked' | 'spool';
  /**
   * Keeps the prefetched request body between attempts of one request (balancer failover after
   * a connect failure sends the same body to the next member, as httpd's "proxy-req-input").
   */
  keep?: BodyKeep;
  /** env force-proxy-request-1.0: an HTTP/1.0 request (legacy.ts makes the exchange). */
  http10?: boolean;
  /** Proxy100Continue On: a client's `Expect: 100-continue` is passed on (legacy.ts). */
  expectToBackend?: boolean;
  /** The worker's connect timeout and `ping=` (how long an Expect waits for the backend's 100), in ms. */
  connectTimeoutMs?: number;
  pingMs?: number;
  /** Told the size of the request head sent (request line, headers, blank line), for balancer statistics. */
  onHead?: (bytes: number) => void;
}

/** The part of a request body read so far, shared by the attempts of one request. */
export interface BodyKeep {
  it?: AsyncIterator<Buffer>;
  head: Buffer[];
  ended: boolean;
}

export type ForwardOutcome =
  /** The backend's response was relayed completely. */
  | { kind: 'done'; status: number; bytesSent: number }
  /** Nothing was sent to the client; send `error` as httpd would. */
  | { kind: 'error'; error: HttpError }
  /** The response was cut: the client went away, or the backend failed after the status line. */
  | { kind: 'aborted'; status: number; bytesSent: number; logMessage: string; clientGone: boolean }
  /** Close the client connection without a response (keep-alive race, see firstRequestOnConnection). */
  | { kind: 'drop'; logMessage: string }
  /** `Max-Forwards: 0` on OPTIONS/TRACE: the request is answered locally. */
  | { kind: 'local' }
  /** ProxyErrorOverride took the backend's error status; nothing was sent to the client. */
  | { kind: 'override'; status: number; headers: HeaderList };

/** Header list in wire order: [name, value] pairs, names as received. */
export type HeaderList = [string, string][];

const HOP_BY_HOP_REQUEST = ['proxy-connection', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te'];
const HOP_BY_HOP_RESPONSE = ['proxy-connection', 'connection', 'keep-alive', 'proxy-authenticate', 'te', 'trailer', 'upgrade'];

/** `apr_table_set`: replace the first header of that name in place, drop the others. */
export function setHeader(list: HeaderList, name: string, value: string): void {
  const lower = name.toLowerCase();
  const i = list.findIndex(([n]) => n.toLowerCase() === lower);
  if (i < 0) {
    list.push([name, value]);
    return;
  }
  list[i] = [list[i][0], value];
  for (let j = list.length - 1; j > i; j--) if (list[j][0].toLowerCase() === lower) list.splice(j, 1);
}

/** `apr_table_mergen`: append `, value` to the first header of that name, or add it. */
export function mergeHeader(list: HeaderList, name: string, value: string): void {
  const lower = name.toLowerCase();
  const i = list.findIndex(([n]) => n.toLowerCase() === lower);
  if (i < 0) list.push([name, value]);
  else list[i] = [list[i][0], `${list[i][1]}, ${value}`];
}

export function getHeader(list: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return list.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** A flat `[name, value, name, value…]` list (Node's rawHeaders) as pairs. */
export function pairs(raw: readonly string[]): HeaderList {
  const out: HeaderList = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

/** The authority of an absolute-form request target (`GET http://host:port/path`), which replaces Host. */
export function absoluteAuthority(target: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target)?.[1];
}

/**
 * Max-Forwards handling of `proxy_handler`: the value to forward (null = none), `local` for
 * OPTIONS/TRACE at zero, or a 400.
 */
export function maxForwardsFor(
  header: string | undefined,
  method: string,
  configured: number,
): { ok: true; value: number | null } | { ok: true; local: true } | { ok: false; error: HttpError } {
  if (header === undefined) return { ok: true, value: configured >= 0 ? configured : null };
  const t = header.trim();
  const n = /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) {
    return {
      ok: false,
      error: httpError(400, `AH10188: Max-Forwards value '${header}' could not be parsed`, 'Max-Forwards request header could not be parsed'),
    };
  }
  if (n === 0) {
    if (method === 'OPTIONS' || method === 'TRACE') return { ok: true, local: true };
    return { ok: false, error: httpError(400, 'Max-Forwards has reached zero - proxy loop?', 'Max-Forwards has reached zero - proxy loop?') };
  }
  return { ok: true, value: n - 1 };
}

/** The value httpd puts in Via: `<client HTTP version> <ServerName>[:port] [(comment)]`. */
function viaValue(req: IncomingMessage, o: ForwardOptions): string {
  const def = o.urlBase?.scheme === 'https' ? 443 : 80;
  const port = o.serverPort !== def ? `:${o.serverPort}` : '';
  const base = `${req.httpVersionMajor}.${req.httpVersionMinor} ${o.serverName}${port}`;
  return o.via === 'full' ? `${base} (${o.viaComment ?? 'featherd'})` : base;
}

/** Request headers never passed on (hop-by-hop, and those the body logic or Host replace). */
const DROP_REQUEST = new Set([...HOP_BY_HOP_REQUEST, 'transfer-encoding', 'content-length', 'expect', 'host']);

/** Tokens of the `Connection` headers of a flat name/value list, lowercased; null when there is none. */
function connectionTokensFlat(raw: readonly string[]): Set<string> | null {
  let out: Set<string> | null = null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const n = raw[i];
    if (n.length !== 10 || n.toLowerCase() !== 'connection') continue;
    out ??= new Set();
    for (const t of raw[i + 1].split(/[,;]/)) {
      const tok = t.trim().toLowerCase();
      if (tok) out.add(tok);
    }
  }
  return out;
}

/**
 * The header list sent to the backend (`ap_proxy_create_hdrbrgd`): Host first, then the client's
 * headers in order without hop-by-hop ones, then Max-Forwards, Via and X-Forwarded-*.
 * Content-Length/Transfer-Encoding are left to the body logic.
 */
export function buildRequestHeaders(req: IncomingMessage, o: ForwardOptions, maxForwards: number | null): HeaderList {
  return pairs(requestHeaderArray(req, o, maxForwards));
}

/**
 * `buildRequestHeaders` as the flat `[name, value, name, value…]` array undici takes, made in
 * one pass over the client's headers: a header set (`apr_table_set`) replaces the first of its
 * name in place and drops the others, a merged one (`apr_table_mergen`) is appended to the
 * first of its name, either is added at the end when the client sent none.
 */
export function requestHeaderArray(req: IncomingMessage, o: ForwardOptions, maxForwards: number | null): string[] {
  const raw = req.rawHeaders;
  const authority = absoluteAuthority(req.url ?? '');
  let clientHost = authority;
  if (clientHost === undefined) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const n = raw[i];
      if (n.length === 4 && n.toLowerCase() === 'host') {
        clientHost = raw[i + 1];
        break;
      }
    }
  }
  const named = connectionTokensFlat(raw);
  const dropAuth = o.authenticatedUser === true && !o.chainAuth;
  const via = o.via ?? 'off';
  const add = o.addHeaders !== false;

  let host: string;
  if (o.preserveHost) {
    host = clientHost ?? o.serverName;
  } else {
    const nl = o.target.netloc;
    const h = nl.host.includes(':') ? `[${nl.host}]` : nl.host;
    const def = nl.scheme === 'https' || nl.scheme === 'wss' ? 443 : 80;
    host = nl.port !== def && nl.port !== 80 ? `${h}:${nl.port}` : h;
  }
  const out: string[] = ['Host', host];
  // Where the first header of a merged name is in `out` (-1: none yet).
  let maxAt = -1;
  let viaAt = -1;
  let xffAt = -1;
  let xfhAt = -1;
  let xfsAt = -1;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    const lower = name.toLowerCase();
    if (DROP_REQUEST.has(lower) || (named !== null && named.has(lower))) continue;
    if (dropAuth && lower === 'proxy-authorization') continue;
    if (lower === 'max-forwards' && maxForwards !== null) {
      if (maxAt >= 0) continue;
      maxAt = out.length;
    } else if (lower === 'via') {
      if (via === 'block') continue;
      if (viaAt < 0) viaAt = out.length;
    } else if (add && lower.startsWith('x-forwarded-')) {
      if (lower === 'x-forwarded-for' && xffAt < 0) xffAt = out.length;
      else if (lower === 'x-forwarded-host' && xfhAt < 0) xfhAt = out.length;
      else if (lower === 'x-forwarded-server' && xfsAt < 0) xfsAt = out.length;
    }
    out.push(name, raw[i + 1]);
  }
  if (maxForwards !== null) {
    if (maxAt < 0) out.push('Max-Forwards', String(maxForwards));
    else out[maxAt + 1] = String(maxForwards);
  }
  if (via !== 'off' && via !== 'block') mergeAt(out, viaAt, 'Via', viaValue(req, o));
  if (add) {
    mergeAt(out, xffAt, 'X-Forwarded-For', o.clientIp);
    if (clientHost !== undefined) mergeAt(out, xfhAt, 'X-Forwarded-Host', clientHost);
    mergeAt(out, xfsAt, 'X-Forwarded-Server', o.serverName);
  }
  return out;
}

/** `apr_table_mergen` on a flat list: appended to the header at `at`, or added at the end (`at` < 0). */
function mergeAt(out: string[], at: number, name: string, value: string): void {
  if (at < 0) out.push(name, value);
  else out[at + 1] = `${out[at + 1]}, ${value}`;
}

/** Response headers never passed on (hop-by-hop). */
const DROP_RESPONSE = new Set([...HOP_BY_HOP_RESPONSE, 'transfer-encoding']);

/** The last value `dateCanon` was asked about, per header: backends send the same Date all second long. */
const canonMemo = { in: '', out: '' };

/** `ap_proxy_date_canon`: an HTTP date re-formatted as RFC 1123 when it parses. */
function dateCanon(v: string): string {
  if (v === canonMemo.in) return canonMemo.out;
  const t = Date.parse(v);
  const out = Number.isNaN(t) ? v : new Date(t).toUTCString();
  canonMemo.in = v;
  canonMemo.out = out;
  return out;
}

/** What the relay does with a response header, by its lowercased name (absent: pass it on). */
type ResponseHeaderKind = 'drop' | 'date' | 'reverse' | 'cookie';
const RESPONSE_HEADER_KINDS = new Map<string, ResponseHeaderKind>([
  ...[...DROP_RESPONSE].map((n) => [n, 'drop'] as const),
  ...(['date', 'expires', 'last-modified'] as const).map((n) => [n, 'date'] as const),
  ...REVERSE_MAPPED_HEADERS.map((n) => [n, 'reverse'] as const),
  ['set-cookie', 'cookie'],
]);

/**
 * Response headers as the client gets them (`ap_proxy_http_process_response`), set on `res`:
 * hop-by-hop headers and those the Connection header names are dropped (and Content-Length
 * when there is a Transfer-Encoding), dates made RFC 1123, ProxyPassReverse and the cookie maps
 * applied, Via added; a repeated name becomes one header with all its values, in order, at its
 * first place and with its first spelling. `raw` is name, value, name, value… (undici's raw
 * header Buffers, or strings), each name lowercased once and no pair arrays made. Returns the
 * relayed Content-Length as a number, -1 when there is none or it is not one.
 */
export function relayResponseHeaders(res: ServerResponse, raw: readonly (Buffer | string)[] | null, req: IncomingMessage, o: ForwardOptions): number {
  const count = raw ? raw.length >> 1 : 0;
  const names: string[] = new Array<string>(count);
  const lows: string[] = new Array<string>(count);
  const values: string[] = new Array<string>(count);
  let named: Set<string> | null = null;
  let hasTe = false;
  for (let i = 0; i < count; i++) {
    const n = (raw as (Buffer | string)[])[2 * i].toString('latin1');
    const v = (raw as (Buffer | string)[])[2 * i + 1].toString('latin1');
    const lower = n.toLowerCase();
    names[i] = n;
    lows[i] = lower;
    values[i] = v;
    if (lower === 'transfer-encoding') hasTe = true;
    else if (lower === 'connection') {
      if (v.indexOf(',') < 0 && v.indexOf(';') < 0) {
        // The usual single token: `keep-alive` names a header dropped anyway, and needs no set.
        const tok = v.trim().toLowerCase();
        if (tok && RESPONSE_HEADER_KINDS.get(tok) !== 'drop') (named ??= new Set()).add(tok);
        continue;
      }
      named ??= new Set();
      for (const t of v.split(/[,;]/)) {
        const tok = t.trim().toLowerCase();
        if (tok) named.add(tok);
      }
    }
  }
  const rev = o.reverse;
  // The headers passed on, in order, compacted in place: the first `n` names, lowercased names
  // and values.
  let n = 0;
  for (let i = 0; i < count; i++) {
    const lower = lows[i];
    const kind = RESPONSE_HEADER_KINDS.get(lower);
    if (kind === 'drop' || (named !== null && named.has(lower)) || (hasTe && lower === 'content-length')) continue;
    let v = values[i];
    if (kind === 'date') v = dateCanon(v);
    else if (rev && kind === 'reverse') v = reverseMapUrl(v, rev.aliases, o.urlBase ?? { scheme: 'http', hostname: o.serverName, port: o.serverPort });
    else if (rev && kind === 'cookie') v = reverseMapCookie(v, rev.cookiePaths, rev.cookieDomains);
    names[n] = names[i];
    lows[n] = lower;
    values[n] = v;
    n++;
  }
  const via = o.via ?? 'off';
  if (via === 'on' || via === 'full') {
    names[n] = 'Via';
    lows[n] = 'via';
    values[n] = viaValue(req, o);
    n++;
  }
  // A repeated name becomes one header with all its values, at its first place.
  let length = -1;
  let sawLength = false;
  // The setHeader calls in order, compacted in place once more: a name's values grouped at its first place.
  const grouped: (string | string[])[] = values;
  let g = 0;
  outer: for (let i = 0; i < n; i++) {
    const l = lows[i];
    for (let j = 0; j < i; j++) if (lows[j] === l) continue outer;
    let more: string[] | null = null;
    for (let j = i + 1; j < n; j++) if (lows[j] === l) (more ??= [values[i]]).push(values[j]);
    if (!sawLength && l === 'content-length') {
      sawLength = true;
      length = /^\d{1,15}$/.test(values[i]) ? Number(values[i]) : -1;
    }
    names[g] = names[i];
    lows[g] = l;
    grouped[g] = more ?? values[i];
    g++;
  }
  if (!holdHeaders(res, names, lows, grouped, g)) for (let i = 0; i < g; i++) res.setHeader(names[i], grouped[i]);
  return length;
}

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const BAD_HEADER = /^HPE_(INVALID_HEADER_TOKEN|LF_EXPECTED|CR_EXPECTED|INVALID_CHUNK_SIZE|UNEXPECTED_CONTENT_LENGTH|HEADER_OVERFLOW|INVALID_TRANSFER_ENCODING|INVALID_CONTENT_LENGTH)$/;

function errCode(err: unknown): string {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  if (e && typeof e.code === 'string') return e.code;
  if (e && e.cause && typeof e.cause.code === 'string') return e.cause.code;
  return '';
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * What httpd answers when the exchange failed before the status line reached the client.
 * Statuses observed with httpd 2.4.71 (see forward.test.ts).
 */
export function classifyBackendError(err: unknown, o: ForwardOptions, uri: string, method: string): ForwardOutcome {
  const code = errCode(err);
  if (isHandshakeFailure(code)) return { kind: 'error', error: handshakeError(uri, errText(err)) };
  const nl = o.target.netloc;
  const where = `${nl.host}:${nl.port}`;
  if (DNS_FAILURES.has(code)) {
    return {
      kind: 'error',
      error: httpError(500, `AH00898: DNS lookup failure for: ${nl.host} returned by ${uri}`, `DNS lookup failure for: ${nl.host}`),
    };
  }
  if (CONNECT_FAILURES.has(code)) {
    return {
      kind: 'error',
      error: httpError(
        503,
        `AH00957: http: attempt to connect to ${where} failed (${code}); AH01114: HTTP: failed to make connection to backend: ${nl.host}`,
      ),
    };
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return {
      kind: 'error',
      error: httpError(
        502,
        `AH01102: error reading status line from remote server ${where} (timeout); AH00898: Error reading from remote server returned by ${uri}`,
        'Error reading from remote server',
      ),
    };
  }
  // undici reports a header line without a colon as a length mismatch, before any header
  // reached us: for httpd that is a bad header (502 without a reason).
  if (BAD_HEADER.test(code) || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    return { kind: 'error', error: httpError(502, `AH01106: bad HTTP/1.1 header returned by ${uri} (${method}): ${errText(err)}`) };
  }
  if (o.firstRequestOnConnection === false && !code.startsWith('HPE_')) {
    return { kind: 'drop', logMessage: `AH01102: error reading status line from remote server ${where}: ${errText(err)}` };
  }
  return {
    kind: 'error',
    error: httpError(
      502,
      `AH01102: error reading status line from remote server ${where}: ${errText(err)}; AH00898: Error reading from remote server returned by ${uri}`,
      'Error reading from remote server',
    ),
  };
}

/** Bytes of request body read before connecting (httpd's MAX_MEM_SPOOL). */
const PREFETCH_LIMIT = 16384;

interface PreparedBody {
  body: Buffer | Readable | null;
  contentLength: number | null;
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
}

/**
 * The request body as httpd's `ap_proxy_http_prefetch` sends it: up to 16 KiB read first; a body
 * that ends within that goes with Content-Length; a longer one is streamed, with the client's
 * Content-Length if it had one, else chunked.
 */
async function prepareBody(
  req: IncomingMessage,
  onFirstPull: () => void,
  expectContinue: boolean,
  mode: 'stream' | 'chunked' | 'spool' = 'stream',
  keep: BodyKeep = { head: [], ended: false },
): Promise<PreparedBody> {
  const declared = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!hasBody(req)) {
    return { body: null, contentLength: declared !== undefined && !chunked ? 0 : null };
  }
  const it = (keep.it ??= req[Symbol.asyncIterator]() as AsyncIterator<Buffer>);
  const head = keep.head;
  let size = head.reduce((n, b) => n + b.length, 0);
  let ended = keep.ended;
  if (!expectContinue && !ended) {
    while (size < PREFETCH_LIMIT) {
      const r = await it.next();
      if (r.done) {
        ended = keep.ended = true;
        break;
      }
      head.push(r.value);
      size += r.value.length;
    }
  }
  if (ended) return { body: Buffer.concat(head), contentLength: size };
  // A body the client sent with Content-Length is streamed with it whatever the env variables
  // say (httpd's RB_STREAM_CL when no input filter changes the body); they choose only for
  // chunked request bodies.
  const withLength = declared !== undefined && !chunked;
  if (mode === 'spool' && !withLength) {
    onFirstPull();
    for (;;) {
      const r = await it.next();
      if (r.done) {
        keep.ended = true;
        break;
      }
      head.push(r.value);
      size += r.value.length;
    }
    return { body: Buffer.concat(head), contentLength: size };
  }
  async function* stream(): AsyncGenerator<Buffer> {
    onFirstPull();
    for (const b of head) yield b;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  const length = withLength ? Number(declared) : null;
  return { body: Readable.from(stream(), { objectMode: false }), contentLength: length };
}

/** Thrown into undici when the client went away, to tear the backend request down. */
class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

function rawPairs(raw: Buffer[] | null | undefined): HeaderList {
  const out: HeaderList = [];
  if (!raw) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i].toString('latin1'), raw[i + 1].toString('latin1')]);
  return out;
}

/**
 * Sends the status line and headers unless a body write did already (after the tick the
 * response started in, so that headers and a first chunk arriving with them go out in one
 * write): a backend that sends its headers and then waits (server-sent events, long polls)
 * has them relayed at once.
 */
function flushIfIdle(res: ServerResponse): void {
  if (!res.headersSent && !res.writableEnded && !res.destroyed) res.flushHeaders();
}

function ignore(): void {
  /* a client abort surfaces through res 'close' */
}

/** Bytes of a response body featherd holds for a client that reads slower than the backend sends. */
const RELAY_BUFFER = 128 * 1024;

/** undici's origin string for a target (`http://host:port`, IPv6 hosts in brackets). */
function dispatchOrigin(target: CanonUrl): string {
  const nl = target.netloc;
  const m = originMemo;
  if (nl.host === m.host && nl.port === m.port && nl.scheme === m.scheme) return m.origin;
  const scheme = nl.scheme === 'https' || nl.scheme === 'wss' ? 'https' : 'http';
  const origin = `${scheme}://${nl.host.includes(':') ? `[${nl.host}]` : nl.host}:${nl.port}`;
  m.host = nl.host;
  m.port = nl.port;
  m.scheme = nl.scheme;
  m.origin = origin;
  return origin;
}

/** The last origin dispatchOrigin made: requests in a row mostly go to one backend. */
const originMemo = { host: '', port: -1, scheme: '', origin: '' };

/**
 * One exchange with the backend: the handler undici's dispatcher calls (onConnect, onHeaders,
 * onData, onComplete, onError) and the controller it is paused, resumed and aborted through.
 * The headers are only taken raw: nothing else is read, so no header object is parsed per
 * response.
 */
class Exchange {
  rawHeaders: Buffer[] | null = null;
  rawTrailers: Buffer[] | null = null;
  prepared: PreparedBody = { body: null, contentLength: null };
  /** The client went away before the response was complete. */
  clientGone = false;
  /** undici called onConnect: the request is on its way. */
  connected = false;
  private paused = false;
  private aborted = false;
  private abortFn: ((reason: Error) => void) | null = null;
  private resumeFn: (() => void) | null = null;
  private settled = false;
  private status = 0;
  private bytesSent = 0;
  private headersSent = false;
  private interim = 0;
  private overriding = false;
  private continued = false;
  /** end() was called on the response: 'finish' or 'close' settles. */
  private ending = false;
  /** The response's Content-Length as relayed (-1: none): the chunk completing it is sent by end(). */
  private length = -1;
  /** The last chunk of a response with a Content-Length, held for end() (one write fewer). */
  private last: Buffer | null = null;
  private resolve: (v: unknown) => void = ignore;
  private reject: (err: unknown) => void = ignore;
  private drainFn: (() => void) | null = null;
  /** res 'close': the client went away (or the response is complete). */
  readonly onClientClose = (): void => {
    if (this.ending) {
      // 'finish' may never come if the client vanished as the response was ending.
      this.settle(this.res.writableFinished ? { kind: 'done', status: this.status, bytesSent: this.bytesSent } : this.gone());
      return;
    }
    if (!this.res.writableFinished) {
      this.clientGone = true;
      if (this.connected) {
        this.abort(new ClientGoneError());
        // A paused parser would only notice the abort on its next read: let it read.
        this.resume();
      }
    }
  };

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly o: ForwardOptions,
    private readonly method: string,
    private readonly uri: string,
    private readonly expectContinue: boolean,
    /** What the exchange's promise resolves with, made from its outcome. */
    private readonly map: (out: ForwardOutcome) => unknown,
  ) {}

  /** Called once, when the backend starts taking the request body. */
  sendContinue(): void {
    if (!this.continued) {
      this.continued = true;
      if (this.expectContinue) this.o.sendContinue?.();
    }
  }

  /** Dispatches the request; resolves with `map(outcome)` once the exchange is over. */
  run<T>(headers: string[]): Promise<T> {
    const o = this.o;
    const prepared = this.prepared;
    if (prepared.contentLength !== null) headers.push('Content-Length', String(prepared.contentLength));
    if (o.onHead) {
      // undici adds the Connection header, and Transfer-Encoding for a body of unknown length.
      let n = `${this.method} ${o.target.pathAndQuery} HTTP/1.1\r\n`.length + 2 + (o.reuse ? 24 : 19);
      for (let i = 0; i + 1 < headers.length; i += 2) n += Buffer.byteLength(headers[i], 'latin1') + Buffer.byteLength(headers[i + 1], 'latin1') + 4;
      if (prepared.body && prepared.contentLength === null) n += 28;
      o.onHead(n);
    }
    return new Promise<T>((resolve, reject) => {
      this.resolve = resolve as (v: unknown) => void;
      this.reject = reject;
      const opts: Dispatcher.DispatchOptions = {
        origin: dispatchOrigin(o.target),
        path: o.target.pathAndQuery,
        method: this.method,
        headers,
        body: prepared.body,
        reset: !o.reuse,
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs,
      };
      try {
        // undici's published type gives trailers as strings; they come as the raw Buffers.
        o.dispatcher.dispatch(opts, this as unknown as Dispatcher.DispatchHandler);
      } catch (err) {
        this.settle(classifyBackendError(err, o, this.uri, this.method));
      }
    });
  }

  settle(out: ForwardOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.res.off('close', this.onClientClose);
    let v: unknown;
    try {
      v = this.map(out);
    } catch (err) {
      this.reject(err);
      return;
    }
    this.resolve(v);
  }

  private gone(): ForwardOutcome {
    return { kind: 'aborted', status: this.status, bytesSent: this.bytesSent, logMessage: 'client closed the connection; backend request aborted', clientGone: true };
  }

  // The controller.

  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.abortFn?.(reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resumeFn?.();
  }

  // The dispatch handler.

  onConnect(abort: (reason: Error) => void): void {
    this.abortFn = abort;
    this.connected = true;
    if (this.clientGone) this.abort(new ClientGoneError());
    else if (!this.prepared.body || Buffer.isBuffer(this.prepared.body)) this.sendContinue();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusMessage?: string): boolean {
    this.resumeFn = resume;
    this.rawHeaders = rawHeaders;
    this.responseStart(statusCode, statusMessage);
    return !this.paused;
  }

  private responseStart(statusCode: number, statusMessage?: string): void {
    if (this.clientGone) return;
    const res = this.res;
    if (statusCode < 200) {
      // Interim responses are relayed; more than 10 in a row is an error in httpd.
      if (++this.interim > 10) {
        this.abort(Object.assign(new Error('too many interim responses'), { code: 'PROXY_TOO_MANY_1XX' }));
        return;
      }
      if (statusCode === 102) res.writeProcessing();
      else if (statusCode === 103) {
        const hints: Record<string, string | string[]> = {};
        for (const [n, v] of rawPairs(this.rawHeaders)) {
          const k = n.toLowerCase();
          const prev = hints[k];
          hints[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
        if (hints.link !== undefined) res.writeEarlyHints(hints as { link: string | string[] });
      }
      return;
    }
    this.status = statusCode;
    if (this.o.errorOverride?.(statusCode)) {
      this.overriding = true;
      return;
    }
    res.statusCode = statusCode;
    if (statusMessage) res.statusMessage = statusMessage;
    this.length = relayResponseHeaders(res, this.rawHeaders, this.req, this.o);
    process.nextTick(flushIfIdle, res);
    this.headersSent = true;
  }

  onData(chunk: Buffer): boolean {
    if (this.overriding || this.clientGone) return !this.paused;
    const res = this.res;
    if (res.destroyed) return !this.paused;
    this.bytesSent += chunk.length;
    // undici completes the response in the same parser run that hands over its last byte.
    if (this.bytesSent === this.length && this.last === null) {
      this.last = chunk;
      return !this.paused;
    }
    // Node's stream says "wait" for any chunk larger than its 16 KiB mark, even one the kernel
    // takes at once when the write goes out at the end of the tick. Reading from the backend
    // pauses only when more than RELAY_BUFFER bytes wait in featherd for the client; the
    // response's 'drain' comes when they are all out.
    if (!res.write(chunk) && res.writableLength > RELAY_BUFFER) {
      this.pause();
      res.once('drain', (this.drainFn ??= () => this.resume()));
    }
    return !this.paused;
  }

  onComplete(rawTrailers: Buffer[] | null): void {
    this.rawTrailers = rawTrailers;
    if (this.overriding && !this.clientGone) {
      // httpd keeps only WWW-Authenticate of an overridden 401.
      const kept = rawPairs(this.rawHeaders).filter(([n]) => this.status === 401 && n.toLowerCase() === 'www-authenticate');
      this.settle({ kind: 'override', status: this.status, headers: kept });
      return;
    }
    if (this.clientGone) {
      this.settle(this.gone());
      return;
    }
    const res = this.res;
    if (rawTrailers && rawTrailers.length > 1) {
      const trailers = rawPairs(rawTrailers);
      if (trailers.length > 0) res.addTrailers(trailers);
    }
    const done = (): void => this.settle({ kind: 'done', status: this.status, bytesSent: this.bytesSent });
    const last = this.last;
    this.last = null;
    // From here the 'close' listener settles too (with 'done' once the response is out).
    this.ending = true;
    if (last !== null && !res.destroyed) res.end(last, done);
    else res.end(done);
  }

  onError(err: Error): void {
    if (this.overriding && !this.clientGone && !(err instanceof ClientGoneError)) {
      this.settle({ kind: 'override', status: this.status, headers: [] });
      return;
    }
    if (this.clientGone || err instanceof ClientGoneError) {
      this.settle(this.gone());
      return;
    }
    if (!this.headersSent) {
      if (errCode(err) === 'PROXY_TOO_MANY_1XX') {
        this.settle({ kind: 'error', error: httpError(502, 'AH01108: Too many (11) interim responses from origin server', 'Too many (11) interim responses from origin server') });
        return;
      }
      this.settle(classifyBackendError(err, this.o, this.uri, this.method));
      return;
    }
    // The status line is out: cut the client connection so it sees an incomplete body
    // (what is already written goes out first, also when the failure came in the same tick).
    const res = this.res;
    if (this.last !== null && !res.destroyed) res.write(this.last);
    this.last = null;
    flushIfIdle(res);
    const sock = res.socket;
    while (sock && sock.writableCorked > 0) sock.uncork();
    res.destroy();
    this.settle({ kind: 'aborted', status: this.status, bytesSent: this.bytesSent, logMessage: `AH01110: error reading response: ${errText(err)}`, clientGone: false });
  }
}

/**
 * Proxies `req` to `o.target` and writes the answer to `res`. Never throws; never leaves `res`
 * open when it resolves with `done` or `aborted`; leaves `res` untouched for `error`, `drop`
 * and `local`.
 */
export function forward(req: IncomingMessage, res: ServerResponse, o: ForwardOptions): Promise<ForwardOutcome> {
  return forwardThen(req, res, o, same);
}

function same(out: ForwardOutcome): ForwardOutcome {
  return out;
}

/**
 * `forward(req, res, o).then(map)` without a second promise: the exchange's promise resolves
 * with `map(outcome)` (and rejects when `map` throws).
 */
export function forwardThen<T>(req: IncomingMessage, res: ServerResponse, o: ForwardOptions, map: (out: ForwardOutcome) => T): Promise<T> {
  const method = req.method ?? 'GET';
  const uri = req.url ?? '/';
  // featherd's listeners add one already; a request from elsewhere gets this one.
  if (req.listenerCount('error') === 0) req.on('error', ignore);
  const mf = maxForwardsFor(req.headers['max-forwards'] as string | undefined, method, o.maxForwards ?? -1);
  if (!mf.ok) return settled({ kind: 'error', error: mf.error }, map);
  if ('local' in mf) return settled({ kind: 'local' }, map);
  const te = req.headers['transfer-encoding'];
  if (te !== undefined && te.toLowerCase().trim() !== 'chunked') {
    return settled({ kind: 'error', error: httpError(500, `AH01093: ${te} Transfer-Encoding is not supported`) }, map);
  }

  const headers = requestHeaderArray(req, o, mf.value);
  if (needsOwnExchange(req, o)) return ownExchange(req, res, o, headers).then(map);
  const expectContinue = /100-continue/i.test(String(req.headers.expect ?? ''));
  const x = new Exchange(req, res, o, method, uri, expectContinue, map);
  res.on('close', x.onClientClose);

  // Without a body there is nothing to read first: the request goes out at once.
  if (!hasBody(req)) {
    const declared = req.headers['content-length'];
    x.prepared = { body: null, contentLength: declared !== undefined && req.headers['transfer-encoding'] === undefined ? 0 : null };
    return x.run<T>(headers);
  }
  return prepareBody(req, () => x.sendContinue(), expectContinue, o.requestBody, o.keep).then(
    (prepared) => {
      if (x.clientGone) {
        res.off('close', x.onClientClose);
        return map({ kind: 'aborted', status: 0, bytesSent: 0, logMessage: 'client closed the connection before the request was sent', clientGone: true });
      }
      x.prepared = prepared;
      return x.run<T>(headers);
    },
    (err: unknown) => {
      res.off('close', x.onClientClose);
      return map({ kind: 'aborted', status: 0, bytesSent: 0, logMessage: `AH01095: error reading request body: ${errText(err)}`, clientGone: true });
    },
  );
}

/** A promise of `map(out)`, rejected when `map` throws. */
function settled<T>(out: ForwardOutcome, map: (out: ForwardOutcome) => T): Promise<T> {
  try {
    return Promise.resolve(map(out));
  } catch (err) {
    return Promise.reject(err);
  }
}
