/**
 * mod_access_compat's check_dir_access: `Order`, `Allow from`, `Deny from` for the request's
 * method, evaluated in httpd's order. Called by the access phase of mod_authz_core's runtime,
 * which also applies `Satisfy`.
 */
import net from 'node:net';
import type { RequestContext } from '../../runtime/server.js';
import { doubleReverseHost, inDomain } from '../authz_core/evaluate.js';
import { limitApplies } from '../authz_core/limit.js';
import { ipInSubnet } from '../authz_host/ipsubnet.js';
import { orderFor, type AccessCompatDirConfig, type AccessRule } from './config.js';

async function findAllowDeny(ctx: RequestContext, rules: readonly AccessRule[]): Promise<boolean> {
  for (const rule of rules) {
    if (!limitApplies(rule.limit, ctx.method)) continue;
    switch (rule.type) {
      case 'all':
        return true;
      case 'env':
        if (ctx.env.has(rule.name) !== rule.negate) return true;
        break;
      case 'ip':
        if (ipInSubnet(rule.subnet, ctx.conn.peerIp)) return true;
        break;
      case 'host': {
        const host = await doubleReverseHost(ctx);
        if (host && !net.isIP(host) && inDomain(rule.domain, host)) return true;
        break;
      }
    }
  }
  return false;
}

/** True when Order/Allow/Deny let the request through (httpd: OK), false for 403. */
export async function checkDirAccess(ctx: RequestContext, conf: AccessCompatDirConfig): Promise<boolean> {
  const order = orderFor(conf, ctx.method);
  if (order === 'allow,deny') {
    let ok = false;
    if (await findAllowDeny(ctx, conf.allows)) ok = true;
    if (await findAllowDeny(ctx, conf.denys)) ok = false;
    return ok;
  }
  if (order === 'deny,allow') {
    let ok = true;
    if (await findAllowDeny(ctx, conf.denys)) ok = false;
    if (await findAllowDeny(ctx, conf.allows)) ok = true;
    return ok;
  }
  return (await findAllowDeny(ctx, conf.allows)) && !(await findAllowDeny(ctx, conf.denys));
}
