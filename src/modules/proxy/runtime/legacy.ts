/**
 * The exchanges undici cannot make, over a socket of their own (one request per connection):
 *  - `force-proxy-request-1.0`: an `HTTP/1.0` request line, no Connection header, a chunked
 *    request body sent with Content-Length once read whole;
 *  - `Expect: 100-continue` passed on to the backend (Proxy100Continue On, the default): the
 *    request head goes first, the body once the backend answered `100 Continue` (relayed to an
 *    HTTP/1.1 client), or once the wait (`ping=`, else the worker's timeout) ran out; a final
 *    status instead of 100 means the body is not sent.
 * The response is read as httpd's mod_proxy_http reads it: a first line that is not a status line
 * makes the whole reply an HTTP/0.9 body (that line without its line end first), a header line
 * without a colon is a 502, and the body is framed by Transfer-Encoding, Content-Length or the
 * end of the connection. Only plain `http://`/`ws://` targets come here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import { httpError } from '../../../runtime/http-error.js';
import { classifyBackendError, relayResponseHeaders, type BodyKeep, type ForwardOptions, type ForwardOutcome, type HeaderList } from './forward.js';

/** Largest response head accepted (status line and headers). */
const HEAD_LIMIT = 65536;

/** Whether `forward` should make this exchange itself rather than through undici. */
export function needsOwnExchange(req: IncomingMessage, o: ForwardOptions): boolean {
  const scheme = o.target.netloc.scheme;
  if (scheme !== 'http' && scheme !== 'ws') return false;
  if (o.http10) return true;
  return o.expectToBackend === true && /100-continue/i.test(String(req.headers.expect ?? ''));
}

interface Head {
  status: number;
  message: string;
  headers: HeaderList;
}

type Parsed = { kind: 'more' } | { kind: 'bad' } | { kind: 'http09'; body: Buffer } | { kind: 'head'; head: Head; rest: Buffer };

/** Reads one response head from `buf` (httpd: ap_proxygetline, then ap_proxy_read_headers). */
function parseHead(buf: Buffer): Parsed {
  const nl = buf.indexOf(10);
  if (nl < 0) return buf.length > HEAD_LIMIT ? { kind: 'bad' } : { kind: 'more' };
  const first = buf.subarray(0, nl).toString('latin1').replace(/\r$/, '');
  const m = /^HTTP\/(\d)\.(\d) (\d{3})(?: (.*))?$/.exec(first);
  // Not a status line: HTTP/0.9, the whole reply is the body, its first line loses its end.
  if (!m) return { kind: 'http09', body: Buffer.concat([buf.subarray(0, nl).subarray(0, first.length), buf.subarray(nl + 1)]) };
  const headers: HeaderList = [];
  let at = nl + 1;
  for (;;) {
    const e = buf.indexOf(10, at);
    if (e < 0) return buf.length > HEAD_LIMIT ? { kind: 'bad' } : { kind: 'more' };
    const line = buf.subarray(at, e).toString('latin1').replace(/\r$/, '');
    at = e + 1;
    if (line === '') break;
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return { kind: 'bad' };
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { kind: 'head', head: { status: Number(m[3]), message: m[4] ?? '', headers }, rest: buf.subarray(at) };
}

/** Incremental decoder of a chunked body: `push` gives the data bytes found, `done` once the last chunk and trailers were read. */
class ChunkedDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private left = -1;
  private state: 'size' | 'data' | 'crlf' | 'trailer' | 'done' = 'size';
  error = false;

  push(chunk: Buffer, out: (b: Buffer) => void): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.state === 'done') return;
      if (this.state === 'data') {
        if (this.buf.length === 0) return;
        const n = Math.min(this.left, this.buf.length);
        out(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        this.left -= n;
        if (this.left === 0) this.state = 'crlf';
        continue;
      }
      const e = this.buf.indexOf(10);
      if (e < 0) return;
      const line = this.buf.subarray(0, e).toString('latin1').replace(/\r$/, '');
      this.buf = this.buf.subarray(e + 1);
      if (this.state === 'crlf') {
        if (line !== '') return void (this.error = true);
        this.state = 'size';
      } else if (this.state === 'size') {
        const size = parseInt(line.split(';')[0].trim(), 16);
        if (!Number.isSafeInteger(size) || size < 0 || !/^[0-9a-fA-F]+$/.test(line.split(';')[0].trim())) return void (this.error = true);
        this.left = size;
        this.state = size === 0 ? 'trailer' : 'data';
      } else if (line === '') {
        this.state = 'done';
      }
    }
  }

  get done(): boolean {
    return this.state === 'done';
  }
}

/** The request body as it will be sent: nothing, bytes with a length, or a chunked stream. */
async function requestBody(req: IncomingMessage, http10: boolean, keep?: BodyKeep): Promise<{ length: number | null; spooled: Buffer | null; stream: boolean }> {
  const cl = req.headers['content-length'];
  const chunked = req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (cl === undefined || cl === '0')) return { length: cl === undefined ? null : 0, spooled: null, stream: false };
  if (!chunked) return { length: Number(cl), spooled: null, stream: true };
  if (!http10) return { length: null, spooled: null, stream: true };
  // HTTP/1.0 has no chunked requests: read the body whole and send it with its length. It is
  // kept for the next attempt when a balancer fails over.
  if (!keep?.ended) {
    const parts: Buffer[] = keep?.head ?? [];
    for await (const c of req) parts.push(c as Buffer);
    if (keep) {
      keep.head = parts;
      keep.ended = true;
    }
    const all = Buffer.concat(parts);
    return { length: all.length, spooled: all, stream: false };
  }
  const all = Buffer.concat(keep.head);
  return { length: all.length, spooled: all, stream: false };
}

/**
 * Makes the exchange for `forward` (same contract): `headers` are the request headers as built
 * for the backend (flat name/value list, without Expect, Connection and body headers).
 */
export async function ownExchange(req: IncomingMessage, res: ServerResponse, o: ForwardOptions, headers: string[]): Promise<ForwardOutcome> {
  const method = req.method ?? 'GET';
  const uri = req.url ?? '/';
  const http10 = o.http10 === true;
  // An HTTP/1.0 request carries no Expect (httpd: no 100-continue with force-proxy-request-1.0).
  const expect = req.headers.expect;
  const passExpect = !http10 && o.expectToBackend === true && expect !== undefined && /100-continue/i.test(String(expect));
  let body: Awaited<ReturnType<typeof requestBody>>;
  try {
    body = await requestBody(req, http10, o.keep);
  } catch (err) {
    return { kind: 'aborted', status: 0, bytesSent: 0, logMessage: `AH01095: error reading request body: ${err instanceof Error ? err.message : String(err)}`, clientGone: true };
  }

  let head = `${method} ${o.target.pathAndQuery} HTTP/${http10 ? '1.0' : '1.1'}\r\n`;
  for (let i = 0; i + 1 < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  if (passExpect) head += `Expect: ${String(expect)}\r\n`;
  if (body.length !== null) head += `Content-Length: ${body.length}\r\n`;
  else if (body.stream) head += 'Transfer-Encoding: chunked\r\n';
  if (!http10) head += `Connection: ${o.reuse ? 'Keep-Alive' : 'close'}\r\n`;
  head += '\r\n';
  o.onHead?.(Buffer.byteLength(head, 'latin1'));

  const nl = o.target.netloc;
  return new Promise<ForwardOutcome>((resolve) => {
    let settled = false;
    let status = 0;
    let bytesSent = 0;
    let headersSent = false;
    let bodySent = false;
    let finalSeen = false;
    let interim = 0;
    let inBuf: Buffer = Buffer.alloc(0);
    let phase: 'head' | 'body' = 'head';
    let remaining = -1;
    let decoder: ChunkedDecoder | null = null;
    let overriding: HeaderList | null = null;
    let expectTimer: NodeJS.Timeout | undefined;

    const sock = net.connect({ host: nl.host, port: nl.port });
    const connectTimer = setTimeout(() => sock.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })), o.connectTimeoutMs ?? o.timeoutMs);

    const settle = (out: ForwardOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(expectTimer);
      res.off('close', onClientClose);
      sock.destroy();
      resolve(out);
    };
    const onClientClose = (): void => {
      if (!res.writableFinished) settle({ kind: 'aborted', status, bytesSent, logMessage: 'client closed the connection; backend request aborted', clientGone: true });
    };
    res.on('close', onClientClose);

    const sendBody = (): void => {
      if (bodySent) return;
      bodySent = true;
      clearTimeout(expectTimer);
      if (body.spooled) sock.write(body.spooled);
      else if (body.stream) {
        const chunked = body.length === null;
        req.on('data', (c: Buffer) => {
          if (!sock.write(chunked ? Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from('\r\n')]) : c)) {
            req.pause();
            sock.once('drain', () => req.resume());
          }
        });
        req.on('end', () => {
          if (chunked) sock.write('0\r\n\r\n');
        });
        req.resume();
      }
    };

    const finish = (): void => {
      if (overriding) {
        const kept = status === 401 ? overriding.filter(([n]) => n.toLowerCase() === 'www-authenticate') : [];
        settle({ kind: 'override', status, headers: kept });
        return;
      }
      res.end(() => settle({ kind: 'done', status, bytesSent }));
      res.once('close', () => settle(res.writableFinished ? { kind: 'done', status, bytesSent } : { kind: 'aborted', status, bytesSent, logMessage: 'client closed the connection', clientGone: true }));
    };

    const relay = (chunk: Buffer): void => {
      if (chunk.length === 0 || overriding) return;
      bytesSent += chunk.length;
      if (!res.write(chunk)) {
        sock.pause();
        res.once('drain', () => sock.resume());
      }
    };

    const bodyBytes = (chunk: Buffer): void => {
      if (decoder) {
        decoder.push(chunk, relay);
        if (decoder.error) return failAfterHead('invalid chunk in the response body');
        if (decoder.done) finish();
        return;
      }
      if (remaining >= 0) {
        const n = Math.min(remaining, chunk.length);
        relay(chunk.subarray(0, n));
        remaining -= n;
        if (remaining === 0) finish();
        return;
      }
      relay(chunk);
    };

    const failAfterHead = (why: string): void => {
      if (overriding) return settle({ kind: 'override', status, headers: [] });
      res.destroy();
      settle({ kind: 'aborted', status, bytesSent, logMessage: `AH01110: error reading response: ${why}`, clientGone: false });
    };

    const startResponse = (h: Head, rest: Buffer): void => {
      finalSeen = true;
      status = h.status;
      phase = 'body';
      const noBody = method === 'HEAD' || status === 204 || status === 304;
      const te = h.headers.find(([n]) => n.toLowerCase() === 'transfer-encoding')?.[1];
      const cl = h.headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1];
      if (te !== undefined && /chunked/i.test(te)) decoder = new ChunkedDecoder();
      else if (cl !== undefined && /^\d+$/.test(cl.trim())) remaining = Number(cl.trim());
      if (o.errorOverride?.(status)) overriding = h.headers;
      else {
        res.statusCode = status;
        if (h.message) res.statusMessage = h.message;
        relayResponseHeaders(res, h.headers.flat(), req, o);
        headersSent = true;
      }
      if (noBody || remaining === 0) return finish();
      if (rest.length > 0) bodyBytes(rest);
    };

    const onHeadBytes = (): void => {
      for (;;) {
        const p = parseHead(inBuf);
        if (p.kind === 'more') return;
        if (p.kind === 'bad') {
          return settle({ kind: 'error', error: httpError(502, `AH01106: bad HTTP/1.1 header returned by ${uri} (${method})`) });
        }
        if (p.kind === 'http09') {
          inBuf = Buffer.alloc(0);
          return startResponse({ status: 200, message: '', headers: [] }, p.body);
        }
        inBuf = Buffer.from(p.rest);
        const h = p.head;
        if (h.status >= 200 || h.status < 100) return startResponse(h, p.rest);
        if (++interim > 10) {
          return settle({ kind: 'error', error: httpError(502, 'AH01108: Too many (11) interim responses from origin server', 'Too many (11) interim responses from origin server') });
        }
        if (h.status === 100) {
          if (passExpect && req.httpVersionMajor === 1 && req.httpVersionMinor >= 1) res.writeContinue();
          sendBody();
        } else if (h.status === 102) res.writeProcessing();
      }
    };

    sock.setNoDelay(true);
    sock.on('connect', () => {
      clearTimeout(connectTimer);
      sock.setTimeout(o.timeoutMs);
      sock.write(head, 'latin1');
      if (passExpect && body.stream) {
        // No answer to the Expect in time: the body goes anyway (httpd, after ping= or the timeout).
        expectTimer = setTimeout(() => {
          if (!finalSeen) sendBody();
        }, o.pingMs ?? o.timeoutMs);
      } else sendBody();
    });
    sock.on('timeout', () => {
      if (!headersSent && !overriding) settle(classifyBackendError(Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' }), o, uri, method));
      else failAfterHead('timeout');
    });
    sock.on('data', (d: Buffer) => {
      if (settled) return;
      if (phase === 'head') {
        inBuf = inBuf.length ? Buffer.concat([inBuf, d]) : d;
        onHeadBytes();
      } else bodyBytes(d);
    });
    sock.on('end', () => {
      if (settled) return;
      if (phase === 'head') {
        // A reply shorter than one line with no status line is an HTTP/0.9 body too.
        if (inBuf.length > 0 && !/^HTTP\//.test(inBuf.toString('latin1', 0, 5))) return startResponse({ status: 200, message: '', headers: [] }, inBuf);
        return settle(classifyBackendError(Object.assign(new Error('connection closed by the backend'), { code: 'UND_ERR_SOCKET' }), o, uri, method));
      }
      if (decoder || remaining > 0) return failAfterHead('the backend closed the connection early');
      finish();
    });
    sock.on('error', (err) => {
      if (settled) return;
      if (phase === 'head' && !headersSent) settle(classifyBackendError(err, o, uri, method));
      else failAfterHead(err.message);
    });
  });
}
