/**
 * mod_remoteip at run time (remoteip_modify_request, post_read): the client address is taken
 * from `RemoteIPHeader`, walking the list from the right while the current address is a
 * trusted or internal proxy. The request then sees that address as its client (`Require ip`,
 * `%a`, the X-Forwarded-For the proxy sends on); the header keeps the addresses not used, and
 * `RemoteIPProxiesHeader` lists the proxies passed.
 */
import net from 'node:net';
import type { ModuleDef } from '../../directives/types.js';
import type { RuntimeHooks } from '../../runtime/compile/types.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { ipInSubnet } from '../authz_host/ipsubnet.js';
import type { RemoteIpServerConfig } from './config.js';

const CONNECTION_IP = Symbol('featherd.remoteip.connectionIp');

/** The address of the TCP peer (`%{c}a`), even when mod_remoteip replaced the client address. */
export function connectionPeerIp(ctx: RequestContext): string {
  return (ctx.data.get(CONNECTION_IP) as string | undefined) ?? ctx.conn.peerIp;
}

function v4Bytes(ip: string): number[] | null {
  const s = ip.replace(/^::ffff:(?=\d+\.)/i, '');
  return net.isIPv4(s) ? s.split('.').map(Number) : null;
}

/** RFC 3330 private/local IPv4 ranges, or IPv6 outside 2000::/3: not accepted from a trusted (external) proxy. */
function isPrivate(ip: string): boolean {
  const b = v4Bytes(ip);
  if (b) return b[0] === 10 || b[0] === 127 || (b[0] === 169 && b[1] === 254) || (b[0] === 172 && (b[1] & 0xf0) === 16) || (b[0] === 192 && b[1] === 168);
  const first = parseInt(ip.split(':')[0] || '0', 16);
  return (((first >> 8) & 0xe0) !== 0x20);
}

export interface RemoteIpResult {
  clientIp: string;
  /** What remains of the header (null: remove it). */
  remaining: string | null;
  /** The proxies passed, nearest last (for RemoteIPProxiesHeader). */
  proxies: string[];
}

/** The walk of remoteip_modify_request over one header value. Null when nothing changed. */
export function resolveClient(conf: RemoteIpServerConfig, peerIp: string, header: string): RemoteIpResult | null {
  let current = peerIp.replace(/^::ffff:(?=\d+\.)/i, '');
  let remote: string | null = header;
  let internal = false;
  let changed = false;
  const proxies: string[] = [];
  while (remote !== null) {
    if (conf.proxies) {
      const match = conf.proxies.find((p) => ipInSubnet(p.subnet, current));
      if (!match) break;
      internal = match.internal;
    }
    const comma: number = remote.lastIndexOf(',');
    const part = (comma >= 0 ? remote.slice(comma + 1) : remote).trim();
    const rest: string | null = comma >= 0 ? remote.slice(0, comma) : null;
    if (part === '' || !net.isIP(part)) break;
    const ip = part.replace(/^::ffff:(?=\d+\.)/i, '');
    if (!internal && isPrivate(ip)) break;
    proxies.unshift(current);
    current = ip;
    remote = rest;
    changed = true;
  }
  if (!changed) return null;
  return { clientIp: current, remaining: remote, proxies };
}

function setRequestHeader(ctx: RequestContext, name: string, value: string | null): void {
  const raw = ctx.req.rawHeaders;
  const lower = name.toLowerCase();
  const out: string[] = [];
  let placed = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].toLowerCase() !== lower) out.push(raw[i], raw[i + 1]);
    else if (value !== null && !placed) {
      out.push(raw[i], value);
      placed = true;
    }
  }
  if (value !== null && !placed) out.push(name, value);
  raw.splice(0, raw.length, ...out);
  if (value === null) delete ctx.req.headers[lower];
  else ctx.req.headers[lower] = value;
}

function modifyRequest(m: ModuleDef, ctx: RequestContext): 'declined' {
  const st = requestState(ctx);
  const conf = st?.server.configs.get(m) as RemoteIpServerConfig | undefined;
  if (!conf?.header) return 'declined';
  const raw = ctx.req.headers[conf.header.toLowerCase()];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  if (value === undefined) return 'declined';
  const r = resolveClient(conf, ctx.conn.peerIp, value);
  if (!r) return 'declined';
  ctx.data.set(CONNECTION_IP, ctx.conn.peerIp);
  // The connection record is shared by the connection's requests: this request gets its own.
  ctx.conn = { ...ctx.conn, peerIp: r.clientIp };
  setRequestHeader(ctx, conf.header, r.remaining);
  if (r.proxies.length) {
    const list = r.proxies.join(', ');
    ctx.notes.set('remoteip-proxy-ip-list', list);
    if (conf.proxiesHeader) setRequestHeader(ctx, conf.proxiesHeader, list);
  }
  return 'declined';
}

export const remoteipRuntime: RuntimeHooks = {
  register(pipeline, _compiled, m) {
    // httpd runs it first among post_read_request hooks (after the virtual host is chosen), so
    // SetEnvIf Remote_Addr and early RequestHeaders see the client address.
    pipeline.register('post_read', 'remoteip:modify_request', (ctx) => modifyRequest(m, ctx), { before: ['setenvif:post_read', 'headers:early'] });
  },
};
