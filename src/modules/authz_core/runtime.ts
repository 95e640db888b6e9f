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
import { requestState } from '../../runtime/request.js';
import type { HookResult, RequestContext } from '../../runtime/server.js';
import { accessCompatConfig } from '../access_compat/module.js';
import { checkDirAccess } from '../access_compat/runtime.js';
import { satisfyFor } from '../access_compat/config.js';
import { authenticateBasic, basicChallenge, configuredAuthType } from '../authz_user/basic.js';
import type { AuthzCoreDirConfig } from './config.js';
import { applyAuthz, type AuthzEnv } from './evaluate.js';
import { requestExprContext } from './expr-context.js';

function deniedTarget(ctx: RequestContext): string {
  return ctx.filename !== undefined ? ctx.filename : `uri ${ctx.uri}`;
}

/** authorize_user_core: 'ok', 'declined' (a user is needed first) or the error to answer with. */
async function authorizeCore(ctx: RequestContext, dir: ConfigSet, conf: AuthzCoreDirConfig | undefined, env: AuthzEnv, afterAuthn: boolean): Promise<'ok' | 'declined' | HttpError> {
  const authType = configuredAuthType(dir, env.expr);
  if (!conf?.section) {
    if (authType !== undefined) return httpError(500, 'AH01627: AuthType configured with no corresponding authorization directives');
    return 'ok';
  }
  const result = await applyAuthz(conf.section, 'and', env);
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

async function checkAccess(m: ModuleDef, ctx: RequestContext): Promise<HookResult> {
  const st = requestState(ctx);
  if (!st) return 'declined';
  const dir = st.dir;
  const expr = requestExprContext(ctx, st);
  const env: AuthzEnv = {
    ctx,
    expr,
    dir,
    log: (message) => st.server.errorLog.log('error', 'authz_core', message, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort }),
  };
  const compat = accessCompatConfig(dir);
  const satisfy = compat ? satisfyFor(compat, ctx.method) : 'all';
  const compatOk = compat ? await checkDirAccess(ctx, compat) : true;
  if (satisfy === 'all' && !compatOk) {
    return httpError(403, `AH01797: client denied by server configuration: ${deniedTarget(ctx)}`);
  }
  if (satisfy === 'any' && compatOk) return 'ok';
  const conf = dir.get(m) as AuthzCoreDirConfig | undefined;
  const first = await authorizeCore(ctx, dir, conf, env, false);
  if (first === 'ok') return 'ok';
  if (first !== 'declined') return first;
  const authn = await authenticateBasic(ctx, dir, expr);
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
