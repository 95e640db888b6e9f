/** Per-request authentication state: httpd's `r->ap_auth_type` (set once a user was checked). */
import type { RequestContext } from '../../runtime/server.js';

const KEY = Symbol('featherd.authType');

export function setAuthType(ctx: RequestContext, type: string): void {
  ctx.data.set(KEY, type);
}

export function authType(ctx: RequestContext): string | undefined {
  return ctx.data.get(KEY) as string | undefined;
}
