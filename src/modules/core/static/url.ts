/** ap_construct_url: an absolute URL on this server for a local path. */
import { requestState } from '../../../runtime/request.js';
import type { RequestContext } from '../../../runtime/server.js';
import { coreDir } from '../config.js';

export function isTls(ctx: RequestContext): boolean {
  return 'encrypted' in ctx.req.socket;
}

/**
 * `scheme://host[:port]` + `path`: the Host of the request (or ServerName with
 * UseCanonicalName On) and its port (ap_get_server_port), the port left out when it is the
 * scheme's default.
 */
export function selfUrl(ctx: RequestContext, path: string): string {
  const st = requestState(ctx);
  const tls = isTls(ctx);
  const def = tls ? 443 : 80;
  const canonical = st ? coreDir(st.dir).useCanonicalName === 'on' : false;
  const name = canonical ? st?.server.name : (st?.hostname ?? st?.server.name);
  let port: number;
  if (canonical) port = st?.server.port || ctx.conn.localPort || def;
  else port = st?.hostPort ?? (st?.server.port || def);
  const host = (name ?? 'localhost').includes(':') ? `[${name}]` : (name ?? 'localhost');
  return `${tls ? 'https' : 'http'}://${host}${port === def ? '' : `:${port}`}${path}`;
}
