// Runtime conformance harness: runs a case (config + requests) against a real server — Apache
// httpd or featherd — with echo backends on 127.0.0.1, and turns what the client and the backends
// saw into a normalised observation that can be recorded (record.mjs) or compared (runtime.test.ts).
// Plain JavaScript so the command-line tools run without a build step; types in harness.d.mts.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, lutimesSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { backendClientCert, backendServerOptions, clientTlsOptions, makeCerts, needsCerts, peerName, tlsErrorCode, tlsNames, tlsPorts } from './tls.mjs';
import { answerUpgrade, exchangeUpgraded, websocketHeaders } from './upgrade.mjs';

export const RUNTIME_DIR = dirname(fileURLToPath(import.meta.url));
/** Cases featherd passes: checked against Apache and featherd. */
export const CASES_DIR = RUNTIME_DIR;
/** Cases featherd does not pass yet: checked against Apache only. */
export const PENDING_DIR = resolve(RUNTIME_DIR, '..', 'runtime-pending');
export const REPO_DIR = resolve(RUNTIME_DIR, '..', '..');
export const APACHE_BIN = process.env.FEATHERD_APACHE_BIN ?? '/usr/sbin/apache2';
/** bin/featherd, or another build of it named by FEATHERD_BIN (a script taking featherd's arguments). */
export const FEATHERD_BIN = process.env.FEATHERD_BIN ?? join(REPO_DIR, 'bin', 'featherd');
export const APACHE_MISSING =
  `${APACHE_BIN} not found: the runtime conformance suite checks every expectation against real Apache httpd 2.4. ` +
  'Install it with `apt-get install apache2` (CI does).';

/** Time limits (milliseconds). Every wait in the harness is bounded by one of these. */
export const LIMITS = { start: 15000, stop: 5000, request: 8000 };

/**
 * Response headers whose values change from run to run or machine to machine: not recorded.
 * Content-Length is recorded as `true` (present) because bodies carry port numbers and the
 * error pages differ in their signature line.
 */
const VOLATILE_RESPONSE = new Set(['date', 'server', 'keep-alive', 'connection']);
/** Recorded and compared for a request that asks for them (`connectionHeaders: true`). */
const CONNECTION_HEADERS = new Set(['keep-alive', 'connection']);
const PRESENCE_ONLY_RESPONSE = new Set(['content-length']);
/** Header values made of case-insensitive tokens. */
const TOKEN_VALUED = new Set(['connection']);
/** Comma-separated lists whose order httpd does not keep stable from run to run (compared as sets). */
const UNORDERED_LIST = new Set(['allow']);
/** An HTTP date (`Fri, 27 Nov 2026 12:26:38 GMT`), replaced by `${DATE}` in recorded bodies. */
const HTTP_DATE = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT\b/g;

// ---------------------------------------------------------------------------------------------
// Cases

/** Read every case directory under `root` (sorted by name); files next to them are ignored. */
export function listCases(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory() && existsSync(join(root, name, 'case.json')))
    .sort()
    .map((name) => readCase(join(root, name)));
}

/** Read one case directory. */
export function readCase(dir) {
  const abs = resolve(dir);
  const spec = JSON.parse(readFileSync(join(abs, 'case.json'), 'utf8'));
  return { name: abs.split('/').pop(), dir: abs, conf: join(abs, 'httpd.conf'), spec };
}

/** How many front ports a case listens on: `${PORT}`, plus the highest `${PORTn}` in its files. */
export function portCount(c) {
  let n = 1;
  const texts = [readFileSync(c.conf, 'utf8'), JSON.stringify(c.spec.requests ?? [])];
  for (const text of texts) for (const m of text.matchAll(/\$\{PORT(\d+)\}/g)) n = Math.max(n, Number(m[1]));
  return n;
}

/** How many backends a case needs: the highest `${BACKENDn}` in its files, or the length of `backends`. */
export function backendCount(c) {
  let n = (c.spec.backends ?? []).length;
  const texts = [readFileSync(c.conf, 'utf8'), JSON.stringify(c.spec.requests ?? [])];
  for (const text of texts) {
    for (const m of text.matchAll(/\$\{BACKEND(\d+)(?:_PORT)?\}/g)) n = Math.max(n, Number(m[1]));
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Ports and placeholders

function tryPort(port) {
  return new Promise((resolvePromise) => {
    const srv = createNetServer();
    srv.once('error', () => resolvePromise(null));
    srv.listen(port, '127.0.0.1', () => {
      const bound = srv.address().port;
      srv.close(() => resolvePromise(bound));
    });
  });
}

/**
 * A free TCP port on 127.0.0.1 (bound, then released), other than those in `taken`. Taken from
 * 20000–31999, below Linux's ephemeral range, so that outgoing connections of other programs do
 * not grab it before the server under test binds it; the kernel's choice if none of a few
 * random tries is free. `taken` holds the ports a run already gave out: a `refused` backend's
 * port is free (nothing listens on it) and must not become the run's front port.
 */
export async function freePort(taken = new Set()) {
  for (let i = 0; i < 20; i++) {
    const port = await tryPort(20000 + Math.floor(Math.random() * 12000));
    if (port !== null && !taken.has(port)) return port;
  }
  for (let i = 0; i < 20; i++) {
    const port = await tryPort(0);
    if (port !== null && !taken.has(port)) return port;
  }
  throw new Error('no free TCP port on 127.0.0.1');
}

/**
 * The placeholder table of one run: `${PORT}` (and `${PORT2}`… for more front listeners),
 * `${BACKENDn}` (host:port), `${BACKENDn_PORT}`, `${CASE}`, `${TMP}`.
 */
export function placeholders(run) {
  const table = { PORT: String(run.ports[0]), CASE: run.caseDir, TMP: run.tmp, ...(run.certs?.table ?? {}) };
  run.ports.slice(1).forEach((p, i) => { table[`PORT${i + 2}`] = String(p); });
  run.backends.forEach((b, i) => {
    table[`BACKEND${i + 1}`] = `127.0.0.1:${b.port}`;
    table[`BACKEND${i + 1}_PORT`] = String(b.port);
  });
  return table;
}

/** Replace the harness's placeholders; any other `${NAME}` (httpd's own Define syntax) is left alone. */
export function substitute(text, table) {
  return text.replace(/\$\{([A-Z0-9_]+)\}/g, (all, name) => (name in table ? table[name] : all));
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The reverse of `substitute` for observed values: ports, temp and case paths back to placeholders. */
export function unsubstitute(text, table) {
  let out = text;
  for (const [name, value] of Object.entries(table)) {
    if (/^PORT\d*$/.test(name) || /_PORT$/.test(name) || /^BACKEND\d+$/.test(name)) continue;
    out = out.split(value).join(`\${${name}}`);
  }
  for (const [name, value] of Object.entries(table)) {
    if (/^BACKEND\d+$/.test(name)) out = out.split(value).join(`\${${name}}`);
  }
  for (const [name, value] of Object.entries(table)) {
    if (/^PORT\d*$/.test(name) || /_PORT$/.test(name)) {
      out = out.replace(new RegExp(`(?<![0-9])${value}(?![0-9])`, 'g'), `\${${name}}`);
    }
  }
  return out;
}

/** The machine's host name, as Apache prints it for a server without ServerName. */
const HOST = hostname();
function unHost(value) {
  if (HOST.length < 2 || HOST === 'localhost') return value;
  return value.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(HOST)}(?![\\w-])`, 'g'), '${HOSTNAME}');
}

// ---------------------------------------------------------------------------------------------
// Echo backends

/**
 * Start the backends of a case. Each answers every request with a JSON description of what it
 * received (method, url, version, headers, body length) unless its spec says otherwise:
 * `{ respond: {status, headers, body} }` for every request, `paths: { "/prefix": {…} }` per
 * URL prefix (longest wins), `refused: true` for a port where nothing listens. An answer may also
 * wait `delayMs` first, `hangup` (close the connection without answering) or send `raw` bytes.
 * Every request is logged in `log` as `{ server, method, url, version, headers, bodyLength }`.
 */
export async function startBackends(count, specs = [], certs = null) {
  const log = [];
  /** Placeholders for canned answers (a Location naming `${BACKEND1}`…), known once every port is. */
  let table = {};
  /** Answers waiting for their `delayMs`, cancelled when the backends close. */
  const timers = new Set();
  const backends = [];
  for (let i = 0; i < count; i++) {
    const spec = specs[i] ?? {};
    if (spec.tls && !certs) throw new Error('backends[].tls needs the run\'s certificates (startBackends(count, specs, certs))');
    if (spec.refused) {
      backends.push({ port: await freePort(new Set(backends.map((b) => b.port))), close: async () => {} });
      continue;
    }
    const onRequest = (req, res) => {
      let bodyLength = 0;
      req.on('data', (chunk) => { bodyLength += chunk.length; });
      req.on('end', () => {
        const headers = headerObject(req.rawHeaders);
        const entry = { server: i + 1, method: req.method, url: req.url, version: req.httpVersion, headers, bodyLength };
        const clientCert = backendClientCert(spec, req);
        if (clientCert !== undefined) entry.clientCert = clientCert;
        const answer = pickAnswer(spec, req.url);
        const body = answer?.body !== undefined ? substitute(answer.body, table) : JSON.stringify(entry);
        entry.sentBody = answer?.raw !== undefined || answer?.hangup ? null : body;
        // `unlogged`: URL prefixes the server asks on its own (health checks), left out of the observations.
        const path = (req.url ?? '').split('?')[0];
        if (!(spec.unlogged ?? []).some((p) => path.startsWith(p))) log.push(entry);
        const send = () => {
          timers.delete(timer);
          if (answer?.hangup) {
            res.socket?.destroy();
            return;
          }
          if (answer?.raw !== undefined) {
            const sock = res.socket;
            if (sock) sock.end(Buffer.from(substitute(answer.raw, table), 'latin1'));
            return;
          }
          const outHeaders = answer?.headers ?? { 'Content-Type': 'application/json' };
          try {
            res.statusCode = answer?.status ?? 200;
            for (const [name, value] of Object.entries(outHeaders)) {
              res.setHeader(name, Array.isArray(value) ? value.map((v) => substitute(v, table)) : substitute(String(value), table));
            }
            res.end(req.method === 'HEAD' ? undefined : body);
          } catch (err) {
            // A canned answer node:http refuses to send: the case is wrong, make it visible.
            entry.error = err instanceof Error ? err.message : String(err);
            res.destroy();
          }
        };
        const timer = setTimeout(send, answer?.delayMs ?? 0);
        timers.add(timer);
      });
    };
    // `tls`: an https backend (certificate `${BACKEND_CERT}` unless `tls.cert` names another).
    const server = spec.tls ? createHttpsServer(backendServerOptions(certs, spec), onRequest) : createHttpServer(onRequest);
    // `upgrade`: Upgrade requests are switched (101) and echoed (upgrade.mjs); without it they are
    // answered as ordinary requests.
    if (spec.upgrade) {
      server.on('upgrade', (req, socket, head) => {
        const path = (req.url ?? '').split('?')[0];
        if (!(spec.unlogged ?? []).some((p) => path.startsWith(p))) {
          log.push({ server: i + 1, method: req.method, url: req.url, version: req.httpVersion, headers: headerObject(req.rawHeaders), bodyLength: 0, sentBody: null });
        }
        answerUpgrade(i + 1, req, socket, head);
      });
    }
    server.keepAliveTimeout = 2000;
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    const port = server.address().port;
    backends.push({
      port,
      close: () => new Promise((ok) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => ok());
      }),
    });
  }
  return {
    backends,
    log,
    setPlaceholders: (t) => { table = t; },
    close: () => Promise.all(backends.map((b) => b.close())),
  };
}

function pickAnswer(spec, url) {
  const path = (url ?? '').split('?')[0];
  let best;
  for (const [prefix, answer] of Object.entries(spec.paths ?? {})) {
    if (path.startsWith(prefix) && (!best || prefix.length > best[0].length)) best = [prefix, answer];
  }
  return best ? best[1] : spec.respond;
}

/** Raw header pairs → `{ Name: value }` in arrival order; repeated names become arrays. */
function headerObject(raw) {
  const out = {};
  const canon = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    const name = canon[lower] ?? (canon[lower] = raw[i]);
    if (name in out) out[name] = [].concat(out[name], raw[i + 1]);
    else out[name] = raw[i + 1];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Servers under test

/** Which program serves a run: `apache` (real httpd) or `featherd` (bin/featherd, needs dist/). */
export function serverCommand(kind, root, conf) {
  const args = ['-d', root, '-f', conf, '-DFOREGROUND'];
  if (kind === 'apache') return { bin: APACHE_BIN, args, cwd: root };
  if (kind === 'featherd') return { bin: process.execPath, args: [FEATHERD_BIN, ...args], cwd: REPO_DIR };
  throw new Error(`unknown server kind ${kind}`);
}

function serverEnv() {
  return { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C', HOME: tmpdir() };
}

function canConnect(port) {
  return new Promise((ok) => {
    const sock = netConnect({ host: '127.0.0.1', port });
    const done = (v) => { sock.destroy(); ok(v); };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.setTimeout(500, () => done(false));
  });
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Resolve to true if `promise` settles within `ms`, false otherwise (the timer never outlives the wait). */
function settlesWithin(promise, ms) {
  let timer;
  const timeout = new Promise((ok) => { timer = setTimeout(() => ok(false), ms); });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Start a server on `conf` and wait until every port in `ports` accepts connections. Resolves to a handle with
 * `stop()`; rejects (with the program's output and error log) if it exits or does not listen in time.
 */
export async function startServer(kind, root, conf, ports) {
  const { bin, args, cwd } = serverCommand(kind, root, conf);
  if (!existsSync(bin)) throw new Error(kind === 'apache' ? APACHE_MISSING : `${bin} not found`);
  const child = spawn(bin, args, { cwd, env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (b) => { output += b; });
  child.stderr.on('data', (b) => { output += b; });
  let exited = null;
  const exitPromise = new Promise((ok) => child.once('exit', (code, signal) => { exited = { code, signal }; ok(); }));
  child.once('error', (err) => { output += `spawn failed: ${err.message}\n`; exited = exited ?? { code: -1, signal: null }; });
  const errorLog = () => {
    const file = join(root, 'error.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  const stop = async () => {
    if (exited) return;
    try { child.kill('SIGTERM'); } catch { /* already gone */ }
    const stopped = await settlesWithin(exitPromise, LIMITS.stop);
    if (!stopped && !exited) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* the group is gone */ }
      await settlesWithin(exitPromise, LIMITS.stop);
    }
  };
  const deadline = Date.now() + LIMITS.start;
  while (Date.now() < deadline) {
    if (exited) break;
    if ((await Promise.all(ports.map(canConnect))).every(Boolean)) return { stop, output: () => output, errorLog };
    await sleep(50);
  }
  await stop();
  const why = exited ? `exited (${exited.code ?? exited.signal})` : `did not listen on 127.0.0.1:${ports.join(', ')} within ${LIMITS.start} ms`;
  throw new Error(`${kind} ${why}\n--- output ---\n${output}\n--- error.log ---\n${errorLog()}`);
}

// ---------------------------------------------------------------------------------------------
// Client

/** The front port a request goes to (`port: 2` → `${PORT2}`). */
function portOf(req, table) {
  const n = req.port ?? 1;
  const port = n === 1 ? table.PORT : table[`PORT${n}`];
  if (port === undefined) throw new Error(`request names port ${n}, but the config has no \${PORT${n}}`);
  return Number(port);
}

/**
 * The client's TLS options for a request, or null for plain HTTP: TLS on the case's TLS ports
 * (`tls`, `tls.ports`) unless the request says `"tls": false`, or anywhere with `"tls": true`.
 */
function requestTls(req, c, table, certs) {
  const onTlsPort = tlsPorts(c.spec, portCount(c)).includes(req.port ?? 1);
  if (req.tls === false || (!onTlsPort && req.tls !== true)) return null;
  if (!certs) throw new Error(`${c.name}: a TLS request needs "tls" on the case`);
  const host = Object.entries(req.headers ?? {}).find(([n]) => n.toLowerCase() === 'host')?.[1];
  const hostValue = host === undefined ? `127.0.0.1:${portOf(req, table)}` : host === null ? '' : substitute(String(host), table);
  return clientTlsOptions(req.servername === undefined ? req : { ...req, servername: req.servername === null ? null : substitute(req.servername, table) }, hostValue, certs);
}

/** The bytes sent for one request of a case (placeholders already substituted). */
export function requestBytes(req, table) {
  if (req.raw !== undefined) return Buffer.from(substitute(req.raw, table), 'latin1');
  const headers = Object.entries(req.headers ?? {}).map(([n, v]) => [n, v === null ? null : substitute(String(v), table)]);
  headers.push(...websocketHeaders(req));
  const has = (name) => headers.some(([n]) => n.toLowerCase() === name);
  const lines = [`${req.method ?? 'GET'} ${substitute(req.target ?? '/', table)} ${req.version ?? 'HTTP/1.1'}`];
  if (!has('host')) lines.push(`Host: 127.0.0.1:${portOf(req, table)}`);
  let body = req.body !== undefined ? Buffer.from(substitute(req.body, table), 'latin1') : null;
  const chunked = headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v ?? ''));
  for (const [n, v] of headers) if (v !== null) lines.push(`${n}: ${v}`);
  if (body && !chunked && !has('content-length')) lines.push(`Content-Length: ${body.length}`);
  if (!has('connection') && !req.keepAlive) lines.push('Connection: close');
  if (body && chunked) {
    body = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

/**
 * A client connection to the server under test. `exchange` writes one request and reads one
 * response from it: `{ status, reason, version, headers: [[name, value]…], body }`, or
 * `{ status: null, … }` when the server closed the connection without answering. Only final
 * responses are returned (1xx other than 101 are skipped). Bytes after a response stay buffered
 * for the next exchange, so several requests can share the connection (`keepAlive`).
 */
export class ClientConnection {
  /**
   * `tlsOptions` (node:tls connect options: `servername`, client `cert`/`key`…) makes it a TLS
   * connection; `certificate` is then the CN of the server's certificate and `tlsError` the code
   * of a TLS failure (a handshake refused, an alert), if any.
   */
  constructor(port, tlsOptions = null) {
    this.port = port;
    this.tlsOptions = tlsOptions;
    this.buf = Buffer.alloc(0);
    this.closed = false;
    this.wake = null;
    this.certificate = null;
    this.tlsError = null;
    this.sock = tlsOptions ? tlsConnect({ host: '127.0.0.1', port, ...tlsOptions }) : netConnect({ host: '127.0.0.1', port });
    this.connected = new Promise((ok) => {
      this.sock.once(tlsOptions ? 'secureConnect' : 'connect', () => {
        if (tlsOptions) this.certificate = peerName(this.sock);
        ok(true);
      });
      this.sock.once('error', () => ok(false));
    });
    const poke = () => { const w = this.wake; this.wake = null; if (w) w(); };
    this.sock.on('data', (chunk) => { this.buf = Buffer.concat([this.buf, chunk]); poke(); });
    const close = () => { this.closed = true; poke(); };
    this.sock.on('end', close);
    this.sock.on('close', close);
    this.sock.on('error', (err) => {
      this.tlsError = this.tlsError ?? tlsErrorCode(err);
      close();
    });
  }

  /** Write raw bytes (after a 101: frames or the switched protocol's bytes). */
  write(bytes) {
    if (!this.closed) this.sock.write(bytes);
  }

  /** Half-close: no more bytes from the client. */
  end() {
    if (!this.closed) this.sock.end();
  }

  /** Until the socket next reads or closes (it calls this.wake), or `ms` pass. */
  async nap(ms) {
    let timer;
    await new Promise((ok) => {
      this.wake = ok;
      timer = setTimeout(ok, ms);
    });
    clearTimeout(timer);
  }

  /** Wait until `pred()` holds or the connection closes, at most `ms`; resolves to `pred()`'s last value. */
  async waitFor(pred, ms) {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = pred();
      if (v || this.closed) return Boolean(v);
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.nap(left);
    }
  }

  async exchange(bytes, isHead) {
    if (await this.connected && !this.closed) this.sock.write(bytes);
    const deadline = Date.now() + LIMITS.request;
    for (;;) {
      const parsed = parseResponse(this.buf, isHead, this.closed);
      if (parsed) {
        this.buf = this.buf.subarray(parsed.consumed);
        return { ...parsed.response, ...this.tlsInfo() };
      }
      if (this.closed) {
        const body = this.buf.toString('latin1');
        this.buf = Buffer.alloc(0);
        return { status: null, reason: '', version: '', headers: [], body, closed: true, ...this.tlsInfo() };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        this.destroy();
        const late = parseResponse(this.buf, isHead, true);
        return { ...(late?.response ?? { status: null, reason: '', version: '', headers: [], body: '' }), timedOut: true };
      }
      await this.nap(left);
    }
  }

  /** For TLS connections: the server certificate's CN and the TLS failure, if any. */
  tlsInfo() {
    return this.tlsOptions ? { certificate: this.certificate, ...(this.tlsError ? { tlsError: this.tlsError } : {}) } : {};
  }

  destroy() {
    this.closed = true;
    this.sock.destroy();
  }
}

/** Whether the server said it keeps the connection open after this response (HTTP/1.1 without `close`, HTTP/1.0 with `keep-alive`). */
function keepsConnection(res) {
  const connection = res.headers.filter(([n]) => n.toLowerCase() === 'connection').map(([, v]) => v).join(',');
  if (/\bclose\b/i.test(connection)) return false;
  return res.version === 'HTTP/1.1' || /\bkeep-alive\b/i.test(connection);
}

/** Send one request on a fresh connection and read one response (see `ClientConnection`). */
export async function sendRequest(port, bytes, isHead) {
  const conn = new ClientConnection(port);
  try {
    return await conn.exchange(bytes, isHead);
  } finally {
    conn.destroy();
  }
}

/**
 * Parse one complete response at the start of `buf`: `{ response, consumed }`, or `undefined`
 * while more bytes are needed (and the peer has not closed).
 */
function parseResponse(buf, isHead, closed) {
  let start = 0;
  const interim = [];
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', start);
    if (end === -1) return undefined;
    const head = buf.subarray(start, end).toString('latin1').split('\r\n');
    const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(head[0]);
    if (!m) {
      if (!closed) return undefined;
      return { response: { status: null, reason: '', version: '', headers: [], body: buf.toString('latin1'), closed: true }, consumed: buf.length };
    }
    const status = Number(m[2]);
    const headers = head.slice(1).map((line) => {
      const i = line.indexOf(':');
      return [line.slice(0, i), line.slice(i + 1).trim()];
    });
    const bodyStart = end + 4;
    if (status >= 100 && status < 200 && status !== 101) { interim.push(status); start = bodyStart; continue; }
    const get = (name) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
    const done = (body, consumed) => ({ response: { status, reason: m[3] ?? '', version: m[1], headers, body, interim }, consumed });
    if (isHead || status === 204 || status === 304 || status === 101) return done('', bodyStart);
    const rest = buf.subarray(bodyStart);
    if (/chunked/i.test(get('transfer-encoding') ?? '')) {
      const chunked = dechunk(rest);
      if (chunked) return done(chunked.body.toString('latin1'), bodyStart + chunked.consumed);
      return closed ? done(rest.toString('latin1'), buf.length) : undefined;
    }
    const cl = get('content-length');
    if (cl !== undefined) {
      const n = Number(cl);
      if (rest.length >= n) return done(rest.subarray(0, n).toString('latin1'), bodyStart + n);
      return closed ? done(rest.toString('latin1'), buf.length) : undefined;
    }
    return closed ? done(rest.toString('latin1'), buf.length) : undefined;
  }
}

/** Decode a complete chunked body: `{ body, consumed }`, or `undefined` while incomplete. */
function dechunk(buf) {
  const parts = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol === -1) return undefined;
    const size = parseInt(buf.subarray(pos, eol).toString('latin1').split(';')[0], 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) {
      // Trailer fields, then an empty line.
      let at = eol + 2;
      for (;;) {
        const next = buf.indexOf('\r\n', at);
        if (next === -1) return undefined;
        if (next === at) return { body: Buffer.concat(parts), consumed: next + 2 };
        at = next + 2;
      }
    }
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
}

// ---------------------------------------------------------------------------------------------
// Running a case

/**
 * Run every request of a case against `kind` (`apache` or `featherd`). Resolves to
 * `{ observations, serverOutput, errorLog }`, where each observation is the normalised
 * expectation record for one request (see `observe`).
 */
export async function runCase(c, kind) {
  const tmp = mkdtempSync(join(tmpdir(), `featherd-rt-${kind}-`));
  mkdirSync(join(tmp, 'htdocs'));
  writeFiles(tmp, c.spec.files ?? {});
  // `tls` (front) or `backends[].tls`: a fresh CA and certificates for this run (tls.mjs).
  const certs = needsCerts(c.spec) ? makeCerts(join(tmp, 'certs'), tlsNames(c.spec)) : null;
  const bk = await startBackends(backendCount(c), c.spec.backends ?? [], certs);
  let server;
  try {
    let table;
    // A second attempt with new ports if the first start fails (a port taken in between).
    for (let attempt = 1; ; attempt++) {
      const ports = [];
      const taken = new Set(bk.backends.map((b) => b.port));
      for (let i = portCount(c); i > 0; i--) {
        const port = await freePort(taken);
        taken.add(port);
        ports.push(port);
      }
      table = placeholders({ ports, caseDir: c.dir, tmp, backends: bk.backends, certs });
      bk.setPlaceholders(table);
      const conf = join(tmp, 'httpd.conf');
      writeFileSync(conf, substitute(readFileSync(c.conf, 'utf8'), table));
      try {
        server = await startServer(kind, tmp, conf, ports);
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
    const observations = [];
    let conn = null;
    for (const req of c.spec.requests) {
      // `waitMs`: time for the server to act on its own first (health checks, retry intervals).
      if (req.waitMs) await sleep(Math.min(req.waitMs, LIMITS.request));
      const before = bk.log.length;
      const bytes = requestBytes(req, table);
      const isHead = (req.method ?? 'GET') === 'HEAD' || (req.raw !== undefined && /^HEAD /.test(req.raw));
      const port = portOf(req, table);
      const tlsOpts = requestTls(req, c, table, certs);
      const tlsKey = JSON.stringify([req.servername, req.clientCert, tlsOpts === null]);
      if (conn && (conn.port !== port || conn.closed || conn.tlsKey !== tlsKey)) { conn.destroy(); conn = null; }
      if (!conn) {
        conn = new ClientConnection(port, tlsOpts);
        conn.tlsKey = tlsKey;
      }
      const res = await conn.exchange(bytes, isHead);
      // After a 101, the messages (`websocket`) or bytes (`send`) of the switched connection.
      const upgraded = res.status === 101 && (req.websocket !== undefined || req.send !== undefined)
        ? await exchangeUpgraded(conn, req, LIMITS.request)
        : null;
      const kept = res.status !== null && res.status !== 101 && !conn.closed && keepsConnection(res);
      if (!req.keepAlive || !kept) { conn.destroy(); conn = null; }
      await sleep(20);
      const rec = observe(req, res, bk.log.slice(before), c.spec.backends ?? [], table);
      if (req.keepAlive) rec.connectionKept = kept;
      if (tlsOpts) {
        rec.certificate = res.certificate ?? null;
        if (res.tlsError) rec.tlsError = res.tlsError;
      }
      if (upgraded) rec.upgraded = { received: upgraded.received.map((r) => normBody(r, table)), closed: upgraded.closed };
      observations.push(rec);
    }
    conn?.destroy();
    await server.stop();
    return { observations, serverOutput: server.output(), errorLog: server.errorLog() };
  } finally {
    if (server) await server.stop();
    await bk.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every file a case brings has this modification time, so that ETag and Last-Modified are recorded as they are. */
export const FILES_MTIME = new Date('2024-01-02T03:04:05Z');

/**
 * `files`: paths under ${TMP} (`htdocs/a.txt`) to create before the server starts. A string is
 * the file's content; `{ "dir": true }` a directory, `{ "symlink": "target" }` a symbolic link,
 * `{ "content": "…", "mode": "0600" }` a file with a mode. Parents are created as needed.
 */
function writeFiles(tmp, files) {
  const dirs = [];
  for (const [rel, spec] of Object.entries(files)) {
    const p = join(tmp, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof spec === 'string') writeFileSync(p, spec);
    else if (spec.dir) { mkdirSync(p, { recursive: true }); dirs.push(p); }
    else if (spec.symlink !== undefined) { symlinkSync(spec.symlink, p); lutimesSync(p, FILES_MTIME, FILES_MTIME); continue; }
    else writeFileSync(p, spec.content ?? '');
    if (spec.mode !== undefined) chmodSync(p, parseInt(spec.mode, 8));
    if (!spec.dir) utimesSync(p, FILES_MTIME, FILES_MTIME);
  }
  for (const d of dirs) utimesSync(d, FILES_MTIME, FILES_MTIME);
}

const norm = (v, table) => unHost(unsubstitute(v, table));

/**
 * Turn one exchange into an expectation record:
 * `{ status, reason, headers, body | bodyIncludes | bodyFromBackend, backend }`.
 * Headers the backend was told to send but that did not reach the client are recorded as `null`,
 * and so are request headers of the client that did not reach the backend.
 */
export function observe(req, res, backendLog, backendSpecs, table) {
  const rec = { status: res.status, reason: res.reason };
  if (res.interim?.length) rec.interim = res.interim;
  if (res.timedOut) rec.timedOut = true;
  // A multipart/byteranges boundary is random per server process: recorded as ${BOUNDARY}.
  const contentType = res.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const boundary = /^multipart\/(?:x-)?byteranges; boundary=(\S+)$/i.exec(contentType)?.[1];
  const unBoundary = (v) => (boundary === undefined ? v : v.split(boundary).join('${BOUNDARY}'));
  const headers = {};
  for (const [name, value] of res.headers) {
    const lower = name.toLowerCase();
    if (VOLATILE_RESPONSE.has(lower) && !(req.connectionHeaders && CONNECTION_HEADERS.has(lower))) continue;
    const v = PRESENCE_ONLY_RESPONSE.has(lower) ? true : norm(unBoundary(value), table);
    const key = Object.keys(headers).find((k) => k.toLowerCase() === lower) ?? name;
    headers[key] = key in headers ? [].concat(headers[key], v) : v;
  }
  const sentByBackend = new Set();
  for (const entry of backendLog) {
    const answer = pickAnswer(backendSpecs[entry.server - 1] ?? {}, entry.url);
    for (const n of Object.keys(answer?.headers ?? {})) sentByBackend.add(n);
  }
  for (const n of sentByBackend) {
    if (!Object.keys(headers).some((k) => k.toLowerCase() === n.toLowerCase()) && !VOLATILE_RESPONSE.has(n.toLowerCase())) {
      headers[n] = null;
    }
  }
  rec.headers = headers;
  Object.assign(rec, bodyRecord(unBoundary(res.body), backendLog, table));
  const entries = backendLog.map((e) => backendRecord(e, req, table));
  rec.backend = entries.length === 0 ? null : entries.length === 1 ? entries[0] : entries;
  return rec;
}

/** Normalise a body: placeholders, the host name, and HTTP dates (tunnelled or echoed responses carry them). */
const normBody = (v, table) => norm(v, table).replace(HTTP_DATE, '${DATE}');

function bodyRecord(body, backendLog, table) {
  if (body === '') return { body: '' };
  if (backendLog.some((e) => e.sentBody === body)) return { bodyFromBackend: true };
  if (/<html>/i.test(body) || /<!DOCTYPE/i.test(body)) {
    const lines = body
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^(<!DOCTYPE|<html>|<\/head>|<hr>|<address>|<\/body>)/i.test(l));
    return { bodyIncludes: lines.map((l) => normBody(l, table)) };
  }
  return { body: normBody(body, table) };
}

function backendRecord(entry, req, table) {
  const headers = {};
  for (const [name, value] of Object.entries(entry.headers)) {
    headers[name] = Array.isArray(value) ? value.map((v) => norm(v, table)) : norm(value, table);
  }
  if (req.raw === undefined) {
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      if (value === null || name.toLowerCase() === 'host') continue;
      if (!Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase())) headers[name] = null;
    }
  }
  const out = { server: entry.server, method: entry.method, url: norm(entry.url, table), version: entry.version, headers };
  if (entry.error) out.error = entry.error;
  if (entry.bodyLength > 0) out.bodyLength = entry.bodyLength;
  if (entry.clientCert !== undefined) out.clientCert = entry.clientCert;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparing

function findHeader(obj, name) {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

function sameValue(name, want, got) {
  if (want === true) return got !== undefined && got !== null;
  if (UNORDERED_LIST.has(name.toLowerCase())) {
    const set = (v) => [].concat(v).join(',').split(',').map((t) => t.trim()).filter(Boolean).sort().join(',');
    return set(want) === set(got);
  }
  const a = [].concat(want);
  const b = [].concat(got);
  if (a.length !== b.length) return false;
  const tokens = TOKEN_VALUED.has(name.toLowerCase());
  return a.every((v, i) => (tokens ? String(v).toLowerCase() === String(b[i]).toLowerCase() : v === b[i]));
}

/** Compare header sets: every expected header (null = absent), and no unexpected ones. */
function compareHeaders(where, want, got, out) {
  for (const [name, value] of Object.entries(want ?? {})) {
    const g = findHeader(got, name);
    if (value === null) {
      if (g !== undefined && g !== null) out.push(`${where} header ${name}: expected absent, got ${JSON.stringify(g)}`);
    } else if (g === undefined || g === null) {
      out.push(`${where} header ${name}: expected ${JSON.stringify(value)}, missing`);
    } else if (!sameValue(name, value, g)) {
      out.push(`${where} header ${name}: expected ${JSON.stringify(value)}, got ${JSON.stringify(g)}`);
    }
  }
  for (const [name, value] of Object.entries(got ?? {})) {
    if (value === null) continue;
    if (findHeader(want ?? {}, name) === undefined) out.push(`${where} header ${name}: unexpected ${JSON.stringify(value)}`);
  }
}

function compareBackend(where, want, got, out) {
  if (want === null || got === null) {
    if (want !== got) out.push(`${where}: expected ${want === null ? 'not reached' : 'reached'}, got ${got === null ? 'not reached' : JSON.stringify(got)}`);
    return;
  }
  const a = [].concat(want);
  const b = [].concat(got);
  if (a.length !== b.length) {
    out.push(`${where}: expected ${a.length} backend request(s), got ${b.length}: ${JSON.stringify(got)}`);
    return;
  }
  a.forEach((w, i) => {
    const g = b[i];
    const at = a.length > 1 ? `${where}[${i}]` : where;
    for (const key of ['server', 'method', 'url', 'version', 'clientCert']) {
      if (w[key] !== undefined && w[key] !== g[key]) out.push(`${at} ${key}: expected ${JSON.stringify(w[key])}, got ${JSON.stringify(g[key])}`);
    }
    if ((w.bodyLength ?? 0) !== (g.bodyLength ?? 0)) out.push(`${at} bodyLength: expected ${w.bodyLength ?? 0}, got ${g.bodyLength ?? 0}`);
    compareHeaders(at, w.headers, g.headers, out);
  });
}

/** Differences between a recorded expectation and an observation of the same request (empty = same). */
export function compareObservation(want, got) {
  const out = [];
  if (want.status !== got.status) out.push(`status: expected ${want.status}, got ${got.status}`);
  if (want.reason !== undefined && want.reason !== got.reason) out.push(`reason: expected ${JSON.stringify(want.reason)}, got ${JSON.stringify(got.reason)}`);
  if (got.timedOut && !want.timedOut) out.push(`response: timed out after ${LIMITS.request} ms`);
  if (JSON.stringify(want.interim ?? []) !== JSON.stringify(got.interim ?? [])) {
    out.push(`interim responses: expected ${JSON.stringify(want.interim ?? [])}, got ${JSON.stringify(got.interim ?? [])}`);
  }
  if (want.connectionKept !== undefined && want.connectionKept !== got.connectionKept) {
    out.push(`connection: expected the server to ${want.connectionKept ? 'keep it open' : 'close it'}, it did ${got.connectionKept ? 'keep it open' : 'close it'}`);
  }
  compareHeaders('response', want.headers, got.headers, out);
  if (want.body !== undefined && want.body !== got.body) out.push(`body: expected ${JSON.stringify(want.body)}, got ${JSON.stringify(got.body ?? got.bodyIncludes ?? '(from backend)')}`);
  if (want.bodyFromBackend && !got.bodyFromBackend) out.push(`body: expected the backend's body, got ${JSON.stringify(got.body ?? got.bodyIncludes)}`);
  if (want.bodyIncludes !== undefined) {
    const text = got.bodyIncludes ? got.bodyIncludes.join('\n') : got.body ?? '';
    for (const line of [].concat(want.bodyIncludes)) {
      if (!text.includes(line)) out.push(`body: expected to include ${JSON.stringify(line)}, got ${JSON.stringify(text)}`);
    }
  }
  if (want.backend !== undefined) compareBackend('backend', want.backend, got.backend, out);
  // TLS (tls.mjs) and switched connections (upgrade.mjs).
  if (want.certificate !== undefined && want.certificate !== got.certificate) {
    out.push(`TLS: expected the certificate of ${JSON.stringify(want.certificate)}, got ${JSON.stringify(got.certificate ?? null)}`);
  }
  if ((want.tlsError ?? null) !== (got.tlsError ?? null) && (want.tlsError !== undefined || got.certificate !== undefined)) {
    out.push(`TLS: expected ${want.tlsError ? `the failure ${want.tlsError}` : 'no failure'}, got ${got.tlsError ? `the failure ${got.tlsError}` : 'none'}`);
  }
  if (want.upgraded !== undefined || got.upgraded !== undefined) {
    const w = JSON.stringify(want.upgraded ?? null);
    const g = JSON.stringify(got.upgraded ?? null);
    if (w !== g) out.push(`after the switch: expected ${w}, got ${g}`);
  }
  return out;
}

/** Compare all requests of a case; returns lines like `request 2 (GET /x): status: expected 404, got 200`. */
export function compareCase(c, observations) {
  const out = [];
  const expects = c.spec.expect ?? [];
  if (expects.length !== c.spec.requests.length) out.push(`case.json has ${c.spec.requests.length} requests but ${expects.length} expectations (re-record)`);
  expects.forEach((want, i) => {
    const req = c.spec.requests[i];
    const label = req.raw !== undefined ? JSON.stringify(req.raw.split('\r\n')[0]) : `${req.method ?? 'GET'} ${req.target}`;
    for (const d of compareObservation(want, observations[i] ?? { status: null, headers: {}, backend: null })) {
      out.push(`request ${i + 1} (${label}): ${d}`);
    }
  });
  return out;
}

/** Map `items` through async `fn`, at most `limit` at a time, keeping order (the configtest harness's). */
export { pool } from '../tools/harness.mjs';
