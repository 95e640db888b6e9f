/** ap_construct_url: an absolute URL on this server for a local path. */
import { requestState, serverName, serverPort } from '../../../runtime/request.js';
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
  let name = 'localhost';
  let port = def;
  if (st) {
    const cd = coreDir(st.dir);
    name = serverName(st, cd.useCanonicalName);
    port = serverPort(ctx, st, cd.useCanonicalName, cd.useCanonicalPhysicalPort);
  }
  const host = name.includes(':') ? `[${name}]` : name;
  return `${tls ? 'https' : 'http'}://${host}${port === def ? '' : `:${port}`}${path}`;
}
