/**
 * Access control at run time, in the access phase, following the access part of httpd's
 * ap_process_request_internal:
 *  1. mod_access_compat (`Order`/`Allow`/`Deny`) — the access_checker hook;
 *  2. mod_authz_core without a user (authorize_userless) — access_checker_ex;
 *  3. if a user is needed: Basic authentication (check_user_id), then mod_authz_core again
 *     with the user (authorize_user);
 * combined as `Satisfy All` (every step must pass) or `Satisfy Any` (Order/Allow/Deny alone
 * is enough).
 */
import type { ConfigSet, ModuleDef } from '../../directives/types.js';
import type { RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError, type HttpError } from '../../runtime/http-error.js';
import { requestState, type RequestState } from '../../runtime/request.js';
import type { HookResult, RequestContext } from '../../runtime/server.js';
import { accessCompatConfig } from '../access_compat/module.js';
import { checkDirAccess } from '../access_compat/runtime.js';
import { satisfyFor } from '../access_compat/config.js';
import { authenticateBasic, basicChallenge, configuredAuthType } from '../authz_user/basic.js';
import type { AuthzCoreDirConfig } from './config.js';
import { applyAuthz, pending, type AuthzEnv, type AuthzStatus } from './evaluate.js';
import { requestExprContext } from './expr-context.js';
import type { ExprContext } from '../../expr/index.js';

function deniedTarget(ctx: RequestContext): string {
  return ctx.filename !== undefined ? ctx.filename : `uri ${ctx.uri}`;
}

/** authorize_user_core: 'ok', 'declined' (a user is needed first) or the error to answer with. */
function authorizeCore(ctx: RequestContext, dir: ConfigSet, conf: AuthzCoreDirConfig | undefined, env: AuthzEnv, afterAuthn: boolean): 'ok' | 'declined' | HttpError | Promise<'ok' | 'declined' | HttpError> {
  const authType = configuredAuthType(dir, env.expr);
  if (!conf?.section) {
    if (authType !== undefined) return httpError(500, 'AH01627: AuthType configured with no corresponding authorization directives');
    return 'ok';
  }
  const result = applyAuthz(conf.section, 'and', env);
  return pending(result) ? result.then((r) => authzOutcome(ctx, dir, conf, env, afterAuthn, authType, r)) : authzOutcome(ctx, dir, conf, env, afterAuthn, authType, result);
}

function authzOutcome(
  ctx: RequestContext,
  dir: ConfigSet,
  conf: AuthzCoreDirConfig,
  env: AuthzEnv,
  afterAuthn: boolean,
  authType: string | undefined,
  result: AuthzStatus,
): 'ok' | 'declined' | HttpError {
  if (result === 'granted') return 'ok';
  if (result === 'denied-no-user') {
    if (!afterAuthn) return 'declined';
    const log = `AH01629: authorization failure (no authenticated user): ${ctx.uri}`;
    return ctx.user !== undefined ? basicChallenge(ctx, dir, env.expr, log) : httpError(401, log);
  }
  if (result === 'denied' || result === 'neutral') {
    if (!afterAuthn || authType === undefined) {
      return httpError(403, `AH01630: client denied by server configuration: ${deniedTarget(ctx)}`);
    }
    const log = `AH01631: user ${ctx.user ?? ''}: authorization failure for "${ctx.uri}": `;
    if (conf.forbiddenOnFailure) return httpError(403, log);
    return ctx.user !== undefined ? basicChallenge(ctx, dir, env.expr, log) : httpError(401, log);
  }
  return httpError(500, `AH01630: authorization failed for ${deniedTarget(ctx)}`);
}

/**
 * What the providers see of a request: the expression context is made on first use (most
 * `Require` lines never evaluate an expression).
 */
class RequestAuthzEnv implements AuthzEnv {
  private exprCtx: ExprContext | undefined;
  constructor(
    readonly ctx: RequestContext,
    private readonly st: RequestState,
    readonly dir: ConfigSet,
  ) {}

  get expr(): ExprContext {
    return (this.exprCtx ??= requestExprContext(this.ctx, this.st));
  }

  log(message: string): void {
    this.st.server.errorLog.log('error', 'authz_core', message, { ip: this.ctx.conn.peerIp, port: this.ctx.conn.peerPort });
  }
}

/**
 * The access phase. Order/Allow/Deny and `Require` lines that need no look-up are decided at
 * once; a step that has to wait (a host name, a group file, Basic authentication) makes the
 * answer a promise from there on.
 */
function checkAccess(m: ModuleDef, ctx: RequestContext): HookResult | Promise<HookResult> {
  const st = requestState(ctx);
  if (!st) return 'declined';
  const dir = st.dir;
  const env = new RequestAuthzEnv(ctx, st, dir);
  const compat = accessCompatConfig(dir);
  if (!compat) return afterCompat(m, ctx, dir, env, 'all', true);
  const satisfy = satisfyFor(compat, ctx.method);
  return checkDirAccess(ctx, compat).then((ok) => afterCompat(m, ctx, dir, env, satisfy, ok));
}

function afterCompat(m: ModuleDef, ctx: RequestContext, dir: ConfigSet, env: AuthzEnv, satisfy: 'all' | 'any', compatOk: boolean): HookResult | Promise<HookResult> {
  if (satisfy === 'all' && !compatOk) {
    return httpError(403, `AH01797: client denied by server configuration: ${deniedTarget(ctx)}`);
  }
  if (satisfy === 'any' && compatOk) return 'ok';
  const conf = dir.get(m) as AuthzCoreDirConfig | undefined;
  const first = authorizeCore(ctx, dir, conf, env, false);
  return pending(first) ? first.then((f) => afterFirst(ctx, dir, conf, env, f)) : afterFirst(ctx, dir, conf, env, first);
}

function afterFirst(ctx: RequestContext, dir: ConfigSet, conf: AuthzCoreDirConfig | undefined, env: AuthzEnv, first: 'ok' | 'declined' | HttpError): HookResult | Promise<HookResult> {
  if (first === 'ok') return 'ok';
  if (first !== 'declined') return first;
  return withUser(ctx, dir, conf, env);
}

/** A user is needed: Basic authentication, then mod_authz_core again with the user. */
async function withUser(ctx: RequestContext, dir: ConfigSet, conf: AuthzCoreDirConfig | undefined, env: AuthzEnv): Promise<HookResult> {
  const authn = await authenticateBasic(ctx, dir, env.expr);
  if (authn === 'declined') {
    return httpError(500, `AH00027: No authentication done but request not allowed without authentication for ${ctx.uri}. Authentication not configured?`);
  }
  if (authn !== 'ok') return authn;
  const second = await authorizeCore(ctx, dir, conf, env, true);
  return second === 'ok' || second === 'declined' ? 'ok' : second;
}

export const authzCoreRuntime: RuntimeHooks = {
  register(pipeline, _compiled, m) {
    pipeline.register('access', 'authz_core:access', (ctx) => checkAccess(m, ctx));
  },
};
