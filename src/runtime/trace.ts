/** httpd's ap_send_http_trace: the request echoed back as `message/http`. */
import type { RequestContext } from './server.js';

/** Answer a TRACE with its request line and header lines as received (the body of a 200). */
export function sendTraceEcho(ctx: RequestContext): void {
  const res = ctx.res;
  const raw = ctx.req.rawHeaders;
  let text = `${ctx.requestLine}\r\n`;
  for (let i = 0; i + 1 < raw.length; i += 2) text += `${raw[i]}: ${raw[i + 1]}\r\n`;
  res.statusCode = 200;
  res.setHeader('Content-Type', 'message/http');
  // As httpd, without a length (chunked to an HTTP/1.1 client): written, then ended, so that
  // Node does not count it.
  res.write(Buffer.from(`${text}\r\n`, 'latin1'));
  res.end();
}
