/** Balancers at configuration time (proxy_util.c: ap_proxy_get_balancer, ap_proxy_define_balancer). */
import type { Loc } from '../../config/ast.js';
import type { BalancerDef, ProxyServerConfig } from './config.js';
import { defaultBalancerParams } from './params.js';
import { parseUri } from './uri.js';

/** ap_proxy_valid_balancer_name(name, 9): starts with `balancer:` (any case). */
export function isBalancerUrl(url: string): boolean {
  // Compared letter by letter without case: only ASCII letters lower-case to these ones.
  if (url.length < 9 || url.charCodeAt(8) !== 0x3a) return false;
  for (let i = 0; i < 8; i++) if ((url.charCodeAt(i) | 0x20) !== BALANCER.charCodeAt(i)) return false;
  return true;
}

const BALANCER = 'balancer';

/** `balancer://Name/path` → `balancer://name`, or undefined when it has no `scheme://x` form. */
export function balancerKey(url: string): string | undefined {
  const c = url.indexOf(':');
  if (c < 0 || url[c + 1] !== '/' || url[c + 2] !== '/' || c + 3 >= url.length) return undefined;
  const slash = url.indexOf('/', c + 3);
  return (slash < 0 ? url : url.slice(0, slash)).toLowerCase();
}

/** ap_proxy_get_balancer over one server's own balancers. */
export function findBalancer(conf: ProxyServerConfig, url: string): BalancerDef | undefined {
  const key = balancerKey(url);
  if (key === undefined) return undefined;
  return conf.balancers.find((b) => b.name === key);
}

/** ap_proxy_update_balancer: remember the front-end path/host of the ProxyPass using it. */
export function updateBalancer(b: BalancerDef, alias: string | undefined): string | undefined {
  if (alias === undefined) return undefined;
  const u = parseUri(alias);
  if (!u) return `unable to parse: ${alias}`;
  if (u.path !== undefined) b.vpath = u.path;
  if (u.hostname !== undefined) b.vhost = u.hostname;
  return undefined;
}

/** ap_proxy_define_balancer: a new, empty balancer appended to the server's list. */
export function defineBalancer(conf: ProxyServerConfig, url: string, alias: string | undefined, loc: Loc): BalancerDef | string {
  const key = balancerKey(url);
  if (key === undefined) return `Bad syntax for a balancer name (${url})`;
  const b: BalancerDef = { name: key, members: [], params: defaultBalancerParams(), loc };
  conf.balancers.push(b);
  const err = updateBalancer(b, alias);
  return err ?? b;
}
