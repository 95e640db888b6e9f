/**
 * mod_alias at run time: translate_alias_redir (the server's Redirect* first, then Alias*)
 * and fixup_redir (Redirect* of the request's `<Directory>`/`<Location>`), as mod_alias.c
 * does: a prefix match on whole path segments (repeated slashes count as one), the rest of
 * the URI appended (escaped for redirects), the Match forms substituting `$N`; a redirect
 * keeps the query string unless its target has one, and a target that is a local path
 * becomes an absolute URL on this server unless RedirectRelative is on.
 */
import type { ModuleDef } from '../../directives/types.js';
import type { CompiledServer, RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError, type HttpError } from '../../runtime/http-error.js';
import { requestState } from '../../runtime/request.js';
import type { HookResult, RequestContext } from '../../runtime/server.js';
import { escapePath, selfUrl } from '../core/static/index.js';
import type { AliasDirConfig, AliasEntry, AliasServerConfig, RedirectEntry } from './config.js';
import { aliasMatches } from './directives.js';
import { pregsub } from './pregsub.js';
import { evalString } from '../../expr/index.js';
import { requestExprContext } from '../authz_core/expr-context.js';

/** apr_uri_parse + unparse without the query, escaped, then the query and fragment as they were. */
function escapeTarget(found: string): string {
  const hash = found.indexOf('#');
  const frag = hash >= 0 ? found.slice(hash) : '';
  const noFrag = hash >= 0 ? found.slice(0, hash) : found;
  const q = noFrag.indexOf('?');
  const base = q >= 0 ? noFrag.slice(0, q) : noFrag;
  const query = q >= 0 ? noFrag.slice(q) : '';
  return escapePath(base) + query + frag;
}

interface Found {
  target: string;
  status: number;
}

function tryAliasList(ctx: RequestContext, uri: string, list: readonly (AliasEntry | RedirectEntry)[], isRedirect: boolean): Found | null {
  for (const a of list) {
    // ScriptAlias entries map nothing: featherd runs no CGI scripts.
    if ('script' in a && a.script) continue;
    const real = 'real' in a ? a.real : a.url;
    const status = 'status' in a ? a.status : 200;
    if (a.regex) {
      a.regex.lastIndex = 0;
      const m = a.regex.exec(uri);
      if (!m) continue;
      let found = real !== undefined ? pregsub(real, m) : '';
      if (real !== undefined && isRedirect) found = escapeTarget(found);
      return { target: found, status };
    }
    if (a.fake === undefined) {
      // One-argument Redirect inside <Location>: the whole location goes to the URL (an ap_expr string).
      const expr = 'expr' in a ? a.expr : undefined;
      return { target: expr ? evalString(expr, requestExprContext(ctx, requestState(ctx))) : (real ?? ''), status };
    }
    const l = aliasMatches(uri, a.fake);
    if (l > 0) {
      const rest = uri.slice(l);
      return { target: real === undefined ? '' : real + (isRedirect ? escapePath(rest) : rest), status };
    }
  }
  return null;
}

function redirectResult(ctx: RequestContext, found: Found, relative: boolean): HttpError {
  if (found.status < 300 || found.status > 399) return httpError(found.status, `Redirect with status ${found.status} for ${ctx.uri}`);
  let target = found.target;
  if (target.startsWith('/') && !relative) target = selfUrl(ctx, target);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) && !(relative && target.startsWith('/'))) {
    return httpError(500, `AH00674: cannot redirect '${ctx.uri}' to '${target}'; target is not a valid absoluteURI or abs_path`);
  }
  if (ctx.args !== null && !target.includes('?')) target += `?${ctx.args}`;
  return { ...httpError(found.status, `redirect to ${target}`), headers: { Location: target } };
}

function serverConf(server: CompiledServer, m: ModuleDef): AliasServerConfig | undefined {
  return server.configs.get(m) as AliasServerConfig | undefined;
}

function translate(m: ModuleDef, ctx: RequestContext): HookResult {
  const st = requestState(ctx);
  if (!st || (ctx.uri !== '' && !ctx.uri.startsWith('/'))) return 'declined';
  const dir = st.dir.get(m) as AliasDirConfig | undefined;
  const conf = serverConf(st.server, m);
  if (conf) {
    const r = tryAliasList(ctx, ctx.uri, conf.redirects, true);
    if (r) return redirectResult(ctx, r, dir?.redirectRelative === true);
  }
  if (dir?.alias) {
    ctx.filename = evalString(dir.alias.expr, requestExprContext(ctx, st));
    return 'ok';
  }
  if (conf) {
    const a = tryAliasList(ctx, ctx.uri, conf.aliases, false);
    if (a) {
      ctx.filename = a.target;
      return 'ok';
    }
  }
  return 'declined';
}

function fixupRedirect(m: ModuleDef, ctx: RequestContext): HookResult {
  const st = requestState(ctx);
  if (!st) return 'declined';
  const dir = st.dir.get(m) as AliasDirConfig | undefined;
  if (!dir || dir.redirects.length === 0) return 'declined';
  const r = tryAliasList(ctx, ctx.uri, dir.redirects, true);
  return r ? redirectResult(ctx, r, dir.redirectRelative === true) : 'declined';
}

export const aliasRuntime: RuntimeHooks = {
  register(pipeline, _compiled, m) {
    pipeline.register('translate', 'alias:translate', (ctx) => translate(m, ctx));
    pipeline.register('fixups', 'alias:fixup_redir', (ctx) => fixupRedirect(m, ctx));
  },
};
