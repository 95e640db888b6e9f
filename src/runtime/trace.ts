/** httpd's ap_send_http_trace: the request echoed back as `message/http`. */
import { readBodyUpTo } from './body.js';
import type { RequestContext } from './server.js';

/**
 * Answer a TRACE with its request line and header lines as received (the body of a 200), and
 * the request's body after them when given (TraceEnable extended).
 */
export function sendTraceEcho(ctx: RequestContext, body?: Buffer): void {
  const res = ctx.res;
  const raw = ctx.req.rawHeaders;
  let text = `${ctx.requestLine}\r\n`;
  for (let i = 0; i + 1 < raw.length; i += 2) text += `${raw[i]}: ${raw[i + 1]}\r\n`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'message/http');
  // As httpd, without a length (chunked to an HTTP/1.1 client): written, then ended, so that
  // Node does not count it.
  res.write(Buffer.from(`${text}\r\n`, 'latin1'));
  if (body !== undefined && body.length > 0) res.write(body);
  res.end();
}

/** httpd's limit on a TRACE body it echoes (TraceEnable extended): 64 KiB. */
const TRACE_BODY_MAX = 65536;

/** The request body for an extended TRACE echo, or undefined when it is over 64 KiB. */
export function readTraceBody(req: RequestContext['req']): Promise<Buffer | undefined> {
  return readBodyUpTo(req, TRACE_BODY_MAX, true).then((r) => (r.over ? undefined : r.data));
}
