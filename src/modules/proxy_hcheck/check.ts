/**
 * One health check of a balancer member (mod_proxy_hcheck.c `hc_check_tcp`, `hc_check_http`):
 * TCP connects; OPTIONS, HEAD and GET send an HTTP/1.0 request (the `…11` methods HTTP/1.1),
 * with only a Host header, and read the answer. Without a condition a 2xx or 3xx status passes; with one (ProxyHCExpr)
 * the expression decides, evaluated against the check's response (`%{REQUEST_STATUS}`,
 * response headers, `hc('body')`).
 */
import net from 'node:net';
import { evalCondition, newEvalState, parseExpr, type Expr, type ExprContext } from '../../expr/index.js';
import type { HcMethod } from '../proxy/config.js';

export interface CheckTarget {
  host: string;
  port: number;
  /** The member URL's path (`wctx->path`), '' when it has none. */
  path: string;
  method: HcMethod;
  uri: string;
  /** Connect and read timeout in milliseconds. */
  timeoutMs: number;
  expr?: Expr;
}

export interface CheckResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

/** The request line and headers a check sends. */
export function checkRequest(t: CheckTarget): string {
  const v11 = t.method.endsWith('11');
  const base = v11 ? t.method.slice(0, -2) : t.method;
  const proto = v11 ? 'HTTP/1.1' : 'HTTP/1.0';
  const hostLine = `Host: ${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}\r\n`;
  if (base === 'OPTIONS') return `OPTIONS * ${proto}\r\n${hostLine}\r\n`;
  const target = `${t.path}${t.path !== '' && t.uri !== '' ? '/' : ''}${t.uri}`;
  return `${base} ${target} ${proto}\r\n${hostLine}\r\n`;
}

/** Parses a complete HTTP response (status line, headers, body as latin1). Undefined when malformed. */
export function parseCheckResponse(raw: Buffer): CheckResponse | undefined {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = (end < 0 ? text : text.slice(0, end)).split(/\r?\n/);
  const m = /^HTTP\/1\.\d (\d{3})/.exec(head[0] ?? '');
  if (!m) return undefined;
  const headers: [string, string][] = [];
  for (const line of head.slice(1)) {
    const c = line.indexOf(':');
    if (c < 0) return undefined;
    headers.push([line.slice(0, c), line.slice(c + 1).trim()]);
  }
  let body = end < 0 ? '' : text.slice(end + 4);
  if (headers.some(([n, v]) => n.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v))) body = dechunk(body);
  return { status: Number(m[1]), headers, body };
}

function dechunk(s: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const eol = s.indexOf('\r\n', pos);
    if (eol < 0) return out;
    const size = parseInt(s.slice(pos, eol), 16);
    if (!Number.isFinite(size) || size <= 0) return out;
    out += s.slice(eol + 2, eol + 2 + size);
    pos = eol + 2 + size + 2;
  }
}

/** A ProxyHCExpr condition, parsed with `hc()` known. */
export function parseCondition(text: string): Expr | string {
  const r = parseExpr(text, { extraFunc: (name) => (name.toLowerCase() === 'hc' ? 'hc' : undefined) });
  return r.ok ? r.value : r.error;
}

/** Whether a response passes: the condition when there is one, else a 2xx or 3xx status. */
export function passes(res: CheckResponse, expr: Expr | undefined): boolean {
  if (!expr) return res.status >= 200 && res.status <= 399;
  const ctx: ExprContext = {
    var: (name) => (name === 'REQUEST_STATUS' ? String(res.status) : undefined),
    header: () => undefined,
    respHeader: (name) => res.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
    env: () => undefined,
    note: () => undefined,
    remoteIp: '',
    func: (name, arg) => (name === 'hc' && arg.toLowerCase() === 'body' ? res.body : undefined),
  };
  const state = newEvalState();
  return evalCondition(expr, ctx, state) && state.error === undefined;
}

/** Bytes of a response body a check keeps (the rest is read and dropped). */
const MAX_KEEP = 1 << 20;

/**
 * Runs one check. Resolves to true when the member passes. `signal` aborts it (reload, stop):
 * the socket is destroyed and the result is false.
 */
export function runCheck(t: CheckTarget, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const sock = net.connect({ host: t.host, port: t.port });
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(ok);
    };
    const onAbort = (): void => finish(false);
    signal.addEventListener('abort', onAbort);
    const timer = setTimeout(() => finish(false), t.timeoutMs);
    sock.on('error', () => finish(false));
    sock.on('connect', () => {
      if (t.method === 'TCP') return finish(true);
      sock.write(checkRequest(t));
    });
    sock.on('data', (c: Buffer) => {
      if (size < MAX_KEEP) chunks.push(c);
      size += c.length;
      // An HTTP/1.1 backend keeps the connection: the answer ends with its headers (HEAD,
      // OPTIONS), its Content-Length, or its last chunk.
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return;
      const res = parseCheckResponse(raw);
      if (!res) return finish(false);
      if (!t.method.startsWith('GET')) return finish(passes({ ...res, body: '' }, t.expr));
      const header = (n: string): string | undefined => res.headers.find(([k]) => k.toLowerCase() === n)?.[1];
      const cl = header('content-length');
      const chunked = /chunked/i.test(header('transfer-encoding') ?? '');
      if ((cl !== undefined && raw.length - end - 4 >= Number(cl)) || (chunked && raw.includes('\r\n0\r\n\r\n'))) {
        finish(passes(res, t.expr));
      }
    });
    sock.on('end', () => {
      const res = parseCheckResponse(Buffer.concat(chunks));
      finish(res !== undefined && passes(res, t.expr));
    });
  });
}
