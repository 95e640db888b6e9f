/**
 * Basic authentication as mod_auth_basic + mod_authn_file do it (the check_user_id step):
 * `AuthType Basic`, `AuthName`, `AuthBasicProvider file`, `AuthUserFile`. Forward-proxy
 * requests use `Proxy-Authorization` / `Proxy-Authenticate` and 407.
 */
import type { ConfigSet } from '../../directives/types.js';
import { evalString } from '../../expr/index.js';
import type { ExprContext } from '../../expr/index.js';
import { httpError, type HttpError } from '../../runtime/http-error.js';
import type { RequestContext } from '../../runtime/server.js';
import { authBasicConfig } from '../auth_basic/module.js';
import { authnCoreConfig } from '../authn_core/module.js';
import { authnFileConfig } from '../authn_file/module.js';
import { setAuthType } from '../authz_core/auth-state.js';
import { isForwardProxy } from '../proxy/runtime/proxyreq.js';
import { lookupUser, validatePassword } from './password.js';

/** ap_auth_type: the AuthType in force, undefined for none or `None`. */
export function configuredAuthType(dir: ConfigSet, expr: ExprContext): string | undefined {
  const t = authnCoreConfig(dir)?.authType;
  if (!t) return undefined;
  const v = evalString(t.tree, expr);
  return v === '' || v.toLowerCase() === 'none' ? undefined : v;
}

function authName(dir: ConfigSet, expr: ExprContext): string | undefined {
  const n = authnCoreConfig(dir)?.authName;
  return n ? evalString(n.tree, expr) : undefined;
}

/** The 401 (407 for a forward-proxy request) with the challenge httpd's note_basic_auth_failure adds. */
export function basicChallenge(ctx: RequestContext, dir: ConfigSet, expr: ExprContext, log: string): HttpError {
  const proxy = isForwardProxy(ctx);
  const realm = authName(dir, expr) ?? '';
  return { ...httpError(proxy ? 407 : 401, log), headers: { [proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate']: `Basic realm="${realm}"` } };
}

/**
 * authenticate_basic_user: 'declined' when AuthType is not Basic, an HttpError (401/407/500)
 * when the user is not let in, 'ok' with `ctx.user` set otherwise.
 */
export async function authenticateBasic(ctx: RequestContext, dir: ConfigSet, expr: ExprContext): Promise<'ok' | 'declined' | HttpError> {
  const type = configuredAuthType(dir, expr);
  if (!type || type.toLowerCase() !== 'basic') return 'declined';
  if (authName(dir, expr) === undefined) return httpError(500, `AH01615: need AuthName: ${ctx.uri}`);
  setAuthType(ctx, 'Basic');
  const proxy = isForwardProxy(ctx);
  const headerName = proxy ? 'proxy-authorization' : 'authorization';
  const raw = ctx.req.headers[headerName];
  const line = Array.isArray(raw) ? raw[0] : raw;
  if (line === undefined) return basicChallenge(ctx, dir, expr, `AH01614: client used wrong authentication scheme: ${ctx.uri}`);
  const m = /^\s*(\S+)\s*(.*)$/.exec(line);
  if (!m || m[1].toLowerCase() !== 'basic') {
    return basicChallenge(ctx, dir, expr, `AH01614: client used wrong authentication scheme: ${ctx.uri}`);
  }
  const decoded = Buffer.from(m[2].trim(), 'base64').toString('latin1');
  const colon = decoded.indexOf(':');
  const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  const providers = authBasicConfig(dir)?.providers ?? ['file'];
  for (const p of providers) {
    if (p !== 'file') return httpError(500, `AH01619: The '${p}' Basic Authentication provider is not evaluated by featherd`);
    const file = authnFileConfig(dir)?.userFile;
    if (!file) return httpError(500, `AH01619: AuthUserFile not specified in the configuration`);
    const found = await lookupUser(file, user);
    if (found.kind === 'error') return httpError(500, found.message);
    if (found.kind === 'not-found') {
      return basicChallenge(ctx, dir, expr, `AH01618: user ${user} not found: ${ctx.uri}`);
    }
    if (!validatePassword(password, found.hash)) {
      return basicChallenge(ctx, dir, expr, `AH01617: user ${user}: authentication failure for "${ctx.uri}": Password Mismatch`);
    }
    ctx.user = user;
    return 'ok';
  }
  return basicChallenge(ctx, dir, expr, `AH01618: user ${user} not found: ${ctx.uri}`);
}
