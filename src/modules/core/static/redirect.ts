/**
 * Requests within a request: httpd's ap_internal_redirect (the request starts over at
 * translate for a new URI, its environment renamed to REDIRECT_*) and the URI sub-request
 * mod_dir uses to look for an index (ap_sub_req_lookup_uri, then ap_internal_fast_redirect).
 */
import type { CompiledConfig } from '../../../runtime/compile/types.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { requestState, setRequestState } from '../../../runtime/request.js';
import type { RequestContext } from '../../../runtime/server.js';
import { escapePath, unescapeUrl } from './escape.js';
import { markSubRequest, redirectDepth, setContentType, setFileInfo, setRedirectDepth, SUBREQ_KEY } from './state.js';

function splitTarget(target: string): { path: string; args: string | null } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, args: null } : { path: target.slice(0, q), args: target.slice(q + 1) };
}

function resetFor(ctx: RequestContext, path: string, args: string | null): void {
  ctx.uri = unescapeUrl(path);
  ctx.encodedUri = path;
  ctx.args = args;
  ctx.target = { ...ctx.target, path, args };
  ctx.filename = undefined;
  ctx.handler = undefined;
  setFileInfo(ctx, undefined);
  setContentType(ctx, undefined);
  const st = requestState(ctx);
  if (st) {
    st.dir = st.server.dirDefaults;
    st.proxySections = [];
  }
}

function recursionError(ctx: RequestContext, limit: number): HttpError {
  return httpError(
    500,
    `AH00124: Request exceeded the limit of ${limit} internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace.`,
  );
}

/**
 * ap_internal_redirect: serve `target` (a local URL path, with `?query` if any) instead, through
 * every phase from translate on. The environment becomes REDIRECT_* copies, plus REDIRECT_URL,
 * REDIRECT_STATUS and REDIRECT_QUERY_STRING. Resolves to null when the new request was
 * answered, else the error to answer with.
 */
export async function internalRedirect(compiled: CompiledConfig, ctx: RequestContext, target: string): Promise<HttpError | null> {
  const st = requestState(ctx);
  const limit = st?.server.core.redirectLimit ?? 10;
  const depth = redirectDepth(ctx) + 1;
  if (depth > limit) return recursionError(ctx, limit);
  setRedirectDepth(ctx, depth);
  const env = new Map<string, string>();
  for (const [k, v] of ctx.env) env.set(`REDIRECT_${k}`, v);
  env.set('REDIRECT_URL', ctx.uri);
  env.set('REDIRECT_STATUS', String(ctx.status || 200));
  if (ctx.args !== null) env.set('REDIRECT_QUERY_STRING', ctx.args);
  ctx.env.clear();
  for (const [k, v] of env) ctx.env.set(k, v);
  ctx.notes.clear();
  const { path, args } = splitTarget(target);
  resetFor(ctx, path, args);
  for (const phase of ['translate', 'map_to_storage', 'access', 'fixups'] as const) {
    const r = await compiled.pipeline.runPhase(phase, ctx);
    if (typeof r === 'object') return r;
    if (r === 'done') return null;
  }
  const r = await compiled.pipeline.runPhase('handler', ctx);
  if (typeof r === 'object') return r;
  if (r === 'declined') return httpError(404, `AH00128: File does not exist: ${ctx.filename ?? ctx.uri}`);
  return null;
}

/** A looked-up sub-request: its status (200 when every phase passed) and its record. */
export interface SubRequest {
  status: number;
  error?: HttpError;
  ctx: RequestContext;
}

/**
 * ap_sub_req_lookup_uri: runs translate through fixups for `uri` (relative to the directory of
 * the current URI when it does not start with `/`) on a copy of the request, without a handler.
 */
export async function lookupUri(compiled: CompiledConfig, ctx: RequestContext, uri: string): Promise<SubRequest> {
  const { path, args } = splitTarget(uri);
  const abs = path.startsWith('/') ? path : escapePath(ctx.uri.slice(0, ctx.uri.lastIndexOf('/') + 1)) + path;
  const st = requestState(ctx);
  const sub: RequestContext = { ...ctx, data: new Map(ctx.data), env: new Map(ctx.env), notes: new Map(ctx.notes) };
  if (st) setRequestState(sub, { ...st });
  const depth = redirectDepth(ctx) + 1;
  const limit = st?.server.core.subreqLimit ?? 10;
  if (depth > limit) return { status: 500, error: recursionError(ctx, limit), ctx: sub };
  setRedirectDepth(sub, depth);
  markSubRequest(sub);
  resetFor(sub, abs, args);
  for (const phase of ['translate', 'map_to_storage', 'access', 'fixups'] as const) {
    const r = await compiled.pipeline.runPhase(phase, sub);
    if (typeof r === 'object') return { status: r.status, error: r, ctx: sub };
    if (r === 'done') break;
  }
  return { status: 200, ctx: sub };
}

/** ap_internal_fast_redirect: the request takes over what the sub-request found. */
export function adoptSubRequest(ctx: RequestContext, sub: RequestContext): void {
  ctx.uri = sub.uri;
  ctx.encodedUri = sub.encodedUri;
  ctx.args = sub.args;
  ctx.target = sub.target;
  ctx.filename = sub.filename;
  ctx.handler = sub.handler;
  ctx.data.clear();
  for (const [k, v] of sub.data) if (k !== SUBREQ_KEY) ctx.data.set(k, v);
  ctx.env.clear();
  for (const [k, v] of sub.env) ctx.env.set(k, v);
  for (const [k, v] of sub.notes) ctx.notes.set(k, v);
}
