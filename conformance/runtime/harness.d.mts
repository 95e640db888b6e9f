// Types for harness.mjs (plain JavaScript so the command-line tools run without a build step).

/** A header expectation: exact value, several values in order, `true` = present (any value), `null` = absent. */
export type HeaderExpectation = string | string[] | true | null;

/** One request of a case. Placeholders (`${PORT}`, `${BACKENDn}`, …) are substituted in every string. */
export interface RuntimeRequest {
  method?: string;
  /** Request-target as sent (not re-encoded). */
  target?: string;
  /** `HTTP/1.1` unless given. */
  version?: string;
  /** Sent in this order. `Host` defaults to `127.0.0.1:${PORT}`, `Connection` to `close`; `null` leaves one out. */
  headers?: Record<string, string | null>;
  /** Request body (latin1); `Content-Length` is added unless given, or it is chunked if `Transfer-Encoding: chunked`. */
  body?: string;
  /**
   * Keep the connection for the next request (no `Connection: close` is added). The next request
   * is sent on it if the server kept it open, else on a new connection.
   */
  keepAlive?: boolean;
  /** Which front listener: 1 (default) for `${PORT}`, 2 for `${PORT2}`… */
  port?: number;
  /** Exact bytes to write on the socket instead of building a request (latin1, placeholders substituted). */
  raw?: string;
  /** TLS to a port that is not among the case's TLS ports (`true`), or plain HTTP to one that is (`false`). */
  tls?: boolean;
  /** SNI name sent (default: the Host header's name unless it is an IP address); `null` sends none. */
  servername?: string | null;
  /** Present a client certificate: `client` (`${CLIENT_CERT}`, from `${CA}`) or `other` (from `${CA_OTHER}`). */
  clientCert?: 'client' | 'other';
  /**
   * A WebSocket handshake (Upgrade, Connection, Sec-WebSocket-Key/Version added unless given);
   * after a 101 each string is sent as a text message and the answers recorded, then a close frame.
   */
  websocket?: string[];
  /** After a 101 to another protocol: raw pieces sent one by one, the echoes recorded, then a half-close. */
  send?: string[];
  /** After the `websocket` messages, stay silent this long (bounded by the request limit) or until the server closes. */
  holdMs?: number;
}

/** What the client saw after `101 Switching Protocols`. */
export interface UpgradedExpectation {
  /** Messages (`close:<code>` for a close frame) or chunks of raw bytes, in arrival order. */
  received: string[];
  /** Whether the server closed the connection in the end (within the request limit). */
  closed: boolean;
}

/** What a backend received, as recorded. */
export interface BackendExpectation {
  /** Which backend (1 for `${BACKEND1}`). */
  server: number;
  method: string;
  url: string;
  /** HTTP version of the request line (`1.1`, `1.0`). */
  version: string;
  headers: Record<string, HeaderExpectation>;
  bodyLength?: number;
  /** TLS backends with `tls.requestCert`: the CN of the certificate the proxy presented (null: none). */
  clientCert?: string | null;
}

/** What one request produced, recorded from real Apache by record.mjs. */
export interface RuntimeExpectation {
  /** `null`: the server closed the connection without a response. */
  status: number | null;
  reason?: string;
  /** Interim (1xx) statuses received before the final response, e.g. `[100]`. */
  interim?: number[];
  timedOut?: boolean;
  /** For `keepAlive` requests: whether the server kept the connection open after the response. */
  connectionKept?: boolean;
  /** Every response header except Date, Server, Connection and Keep-Alive; Content-Length as `true`. */
  headers?: Record<string, HeaderExpectation>;
  /** The exact body (normalised). */
  body?: string;
  /** Lines the body must contain (used for HTML pages: title, heading, paragraphs). */
  bodyIncludes?: string | string[];
  /** The body is exactly the one the backend sent. */
  bodyFromBackend?: boolean;
  /** What reached the backends: `null` = none; an array when more than one request did. */
  backend?: BackendExpectation | BackendExpectation[] | null;
  /** TLS requests: the CN of the certificate the server presented (null when the handshake failed before it). */
  certificate?: string | null;
  /** TLS requests: the failure the client saw, as Node codes OpenSSL's reason (`ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`). */
  tlsError?: string;
  /** `websocket`/`send` requests that were switched. */
  upgraded?: UpgradedExpectation;
}

/** A canned answer of a backend. */
export interface BackendAnswer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** Wait this long before answering (backend timeouts). */
  delayMs?: number;
  /** Close the connection without answering. */
  hangup?: boolean;
  /** Write these bytes (latin1, placeholders substituted) instead of an HTTP response, then close. */
  raw?: string;
}

/** How a backend behaves; by default it echoes the request as JSON. */
export interface BackendSpec {
  /** Answer every request with this. */
  respond?: BackendAnswer;
  /** Answers per URL-path prefix (the longest prefix wins; falls back to `respond`, then to the echo). */
  paths?: Record<string, BackendAnswer>;
  /** Nothing listens on this backend's port (connection refused). */
  refused?: boolean;
  /** An https backend: `${BACKEND_CERT}` (CN and DNS name `localhost`), or the certificate of one of the case's `tls.names`. */
  tls?: boolean | { cert?: string; requestCert?: boolean };
  /**
   * Switch Upgrade requests (101 with the client's Upgrade value, Sec-WebSocket-Accept for WebSocket,
   * `X-Backend: n`) and echo: WebSocket messages as `b<n>:<text>`, raw bytes prefixed with `b<n>:`.
   * Without it, Upgrade requests are answered as ordinary requests.
   */
  upgrade?: boolean;
}

export interface RuntimeCaseSpec {
  /** Where the case comes from (a manual page and example, or a notes section). */
  source: string;
  requests: RuntimeRequest[];
  /** One per request, recorded from Apache (record.mjs), never typed by hand. */
  expect?: RuntimeExpectation[];
  /** Backend behaviours, by index (`backends[0]` is `${BACKEND1}`). */
  backends?: BackendSpec[];
  /**
   * TLS front listeners (every port, or `ports`), with a fresh CA and certificates per run
   * (`${CA}`, `${CERT}`/`${KEY}` for front.test, `${CERT_A_TEST}`/`${KEY_A_TEST}` per name in `names`…;
   * see tls.mjs). Backends with `tls` get certificates too without it.
   */
  tls?: boolean | { ports?: number[]; names?: string[] };
}

export interface RuntimeCase {
  name: string;
  dir: string;
  conf: string;
  spec: RuntimeCaseSpec;
}

export interface RunResult {
  observations: RuntimeExpectation[];
  serverOutput: string;
  errorLog: string;
}

export type ServerKind = 'apache' | 'featherd';

export const RUNTIME_DIR: string;
export const CASES_DIR: string;
export const PENDING_DIR: string;
export const REPO_DIR: string;
export const APACHE_BIN: string;
export const FEATHERD_BIN: string;
export const APACHE_MISSING: string;
export const LIMITS: { start: number; stop: number; request: number };

export function listCases(root: string): RuntimeCase[];
export function readCase(dir: string): RuntimeCase;
export function backendCount(c: RuntimeCase): number;
export function portCount(c: RuntimeCase): number;
export function freePort(): Promise<number>;
export function substitute(text: string, table: Record<string, string>): string;
export function unsubstitute(text: string, table: Record<string, string>): string;
export function runCase(c: RuntimeCase, kind: ServerKind): Promise<RunResult>;
export function compareObservation(want: RuntimeExpectation, got: RuntimeExpectation): string[];
export function compareCase(c: RuntimeCase, observations: RuntimeExpectation[]): string[];
export class ClientConnection {
  constructor(port: number, tlsOptions?: import('node:tls').ConnectionOptions | null);
  port: number;
  closed: boolean;
  buf: Buffer;
  /** TLS connections: the CN of the server's certificate, and the TLS failure seen, if any. */
  certificate: string | null;
  tlsError: string | null;
  write(bytes: Buffer): void;
  end(): void;
  waitFor(pred: () => unknown, ms: number): Promise<boolean>;
  exchange(bytes: Buffer, isHead: boolean): Promise<{ status: number | null; reason: string; version: string; headers: Array<[string, string]>; body: string; timedOut?: boolean }>;
  destroy(): void;
}
export function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]>;
