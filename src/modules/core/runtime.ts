/**
 * The core module at run time: virtual host selection (post_read), the `<Location>` walk
 * (first translate hook), and ErrorDocument (text, local URL by internal redirect, remote URL
 * by redirect).
 */
import type { CompiledConfig, RuntimeHooks } from '../../runtime/compile/types.js';
import { dropsConnection, errorPage, escapeHtml, STATUS_LINES } from '../../runtime/error-page.js';
import { httpError, type HttpError } from '../../runtime/http-error.js';
import { mergeRepeatedHeaders, requestErrorLog, requestState, setRequestState, walkDir, type RequestState } from '../../runtime/request.js';
import type { HookResult, Pipeline, RequestContext } from '../../runtime/server.js';
import { readBodyUpTo } from '../../runtime/body.js';
import { readTraceBody, sendTraceEcho } from '../../runtime/trace.js';
import { parseRequestTarget } from '../../runtime/uri.js';
import { coreDir, type CoreSection } from './config.js';
import { ifSectionsOf } from './merge.js';
import { evalCondition } from '../../expr/index.js';
import { mergeDirSets } from '../../runtime/compile/merge.js';
import { requestExprContext } from '../authz_core/expr-context.js';
import { compileStatic, registerStatic } from './static/index.js';

function selectServer(compiled: CompiledConfig, ctx: RequestContext): HttpError | null {
  const raw = ctx.req.url ?? '/';
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(raw);
  const main = compiled.main;
  // Repeated headers are merged as httpd reads them; a repeated Host (`a, b`) then fails validation.
  const rh = (ctx.req.rawHeaders = mergeRepeatedHeaders(ctx.req.rawHeaders));
  let host: string | undefined;
  for (let i = 0; i + 1 < rh.length; i += 2) if (rh[i].length === 4 && rh[i].toLowerCase() === 'host') host = rh[i + 1];
  const vhosts = compiled.vhostTable.forConnection(ctx.conn.localIp, ctx.conn.localPort);
  // HttpProtocolOptions of the connection's default server (httpd reads the request with it,
  // before the Host picks a name-based virtual host).
  const base = vhosts.base ?? main;
  const sel = vhosts.forRequest({
    host,
    ...(abs ? { absoluteHost: abs[1] } : {}),
    uri: raw,
    strict: base.core.httpProtocolOptions.strict !== false,
    strictHostCheck: main.core.strictHostCheck === true,
    http11: ctx.req.httpVersionMajor > 1 || (ctx.req.httpVersionMajor === 1 && ctx.req.httpVersionMinor >= 1),
  });
  if (!sel.ok) {
    setRequestState(ctx, { config: compiled, server: main, hostname: null, hostPort: null, dir: main.dirDefaults, proxySections: [] });
    return sel.error;
  }
  const server = sel.value.id ?? main;
  setRequestState(ctx, {
    config: compiled,
    server,
    hostname: sel.value.hostname,
    hostPort: sel.value.port,
    dir: server.dirDefaults,
    proxySections: [],
  });
  ctx.core.allowEncodedSlashes = server.core.allowEncodedSlashes ?? 'off';
  ctx.core.mergeSlashes = server.core.mergeSlashes ?? true;
  return null;
}

/** The phases an internal redirect runs again (ap_internal_redirect). */
const REDIRECT_PHASES = ['translate', 'map_to_storage', 'access', 'fixups'] as const;

/**
 * ErrorDocument for `error`, as ap_die / ap_send_error_response do: a text message is sent as
 * the body; a local URL is served by an internal redirect (GET, REDIRECT_* variables); a full
 * URL becomes a 302 to it. Returns false to send the default page.
 */
async function errorDocument(pipeline: Pipeline, ctx: RequestContext, error: HttpError): Promise<boolean> {
  const st = requestState(ctx);
  if (!st || st.redirect) return false;
  const doc = coreDir(st.dir).errorDocuments.get(error.status);
  if (!doc || doc.kind === 'default') return false;
  const res = ctx.res;
  if (doc.kind === 'text') {
    const body = Buffer.from(doc.value, 'latin1');
    writeHead(ctx, error, 'text/html; charset=iso-8859-1', body.length);
    res.end(ctx.method === 'HEAD' ? undefined : body);
    return true;
  }
  if (doc.kind === 'remote') {
    const page = errorPage({ status: 302, method: ctx.method, location: doc.value });
    const body = Buffer.from(page.body, 'latin1');
    for (const n of res.getHeaderNames()) if (n !== 'server') res.removeHeader(n);
    res.statusCode = 302;
    res.statusMessage = STATUS_LINES[302];
    res.setHeader('Location', doc.value);
    res.setHeader('Content-Type', 'text/html; charset=iso-8859-1');
    if (ctx.method !== 'HEAD') res.setHeader('Content-Length', body.length);
    res.end(ctx.method === 'HEAD' ? undefined : body);
    return true;
  }
  // A local URL: run the request again for it.
  const parsed = parseRequestTarget(doc.value);
  if (!parsed.ok) return false;
  const fromUri = ctx.uri;
  st.redirect = { status: error.status, fromUri };
  ctx.env.set('REDIRECT_STATUS', String(error.status));
  ctx.env.set('REDIRECT_URL', fromUri);
  if (ctx.args !== null) ctx.env.set('REDIRECT_QUERY_STRING', ctx.args);
  if (ctx.method !== 'HEAD') {
    ctx.method = 'GET';
    ctx.req.method = 'GET';
  }
  ctx.uri = decodeURIComponentSafe(parsed.value.path);
  ctx.encodedUri = parsed.value.path;
  ctx.args = parsed.value.args;
  ctx.target = { ...parsed.value, unparsed: doc.value };
  ctx.filename = undefined;
  ctx.handler = undefined;
  st.proxySections = [];
  st.dir = st.server.dirDefaults;
  // The page is served with its own status (observed with httpd 2.4.71 for a proxied page);
  // a connection the error would have closed is still closed.
  if (dropsConnection(error.status)) ctx.res.setHeader('Connection', 'close');
  const failed = await runRedirect(pipeline, ctx);
  if (failed === null) {
    if (!res.writableEnded && !res.destroyed && !res.headersSent) res.end();
    return true;
  }
  // The ErrorDocument itself failed: the default page, with httpd's note about it.
  sendPageNoting(ctx, error, failed);
  return true;
}

/**
 * httpd's page for `error` with its note about a second error met while answering (ap_die's
 * "recursive error"): `Additionally, a 403 Forbidden error was encountered…`.
 */
function sendPageNoting(ctx: RequestContext, error: HttpError, second: HttpError): void {
  const res = ctx.res;
  if (res.headersSent) return;
  const page = errorPage({ status: error.status, method: ctx.method, ...(error.reason !== undefined ? { reason: error.reason } : {}) });
  const extra = `<p>Additionally, a ${second.status} ${escapeHtml(STATUS_LINES[second.status] ?? '')}\nerror was encountered while trying to use an ErrorDocument to handle the request.</p>\n`;
  const body = Buffer.from(page.body.replace('</body></html>\n', `${extra}</body></html>\n`), 'latin1');
  writeHead(ctx, error, 'text/html; charset=iso-8859-1', body.length);
  res.statusMessage = page.statusMessage;
  res.end(ctx.method === 'HEAD' ? undefined : body);
}

function decodeURIComponentSafe(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function writeHead(ctx: RequestContext, error: HttpError, type: string, length: number): void {
  const res = ctx.res;
  for (const n of res.getHeaderNames()) if (n !== 'server') res.removeHeader(n);
  res.statusCode = error.status;
  res.statusMessage = STATUS_LINES[error.status] ?? res.statusMessage;
  for (const [k, v] of Object.entries(error.headers ?? {})) res.setHeader(k, v);
  if (dropsConnection(error.status)) res.setHeader('Connection', 'close');
  res.setHeader('Content-Type', type);
  // No length for HEAD (httpd does not build the body it would count), nor for an answer with
  // the request body unread (LimitRequestBody: up to the connection's close).
  if (error.unreadBody) res.useChunkedEncodingByDefault = false;
  else if (ctx.method !== 'HEAD') res.setHeader('Content-Length', length);
  ctx.status = error.status;
}

async function runRedirect(pipeline: Pipeline, ctx: RequestContext): Promise<HttpError | null> {
  for (const phase of REDIRECT_PHASES) {
    const r = await pipeline.runPhase(phase, ctx);
    if (typeof r === 'object') return r;
    if (r === 'done') return null;
  }
  const r = await pipeline.runPhase('handler', ctx);
  if (typeof r === 'object') return r;
  if (r === 'declined') return httpError(404, `AH00128: File does not exist: ${ctx.filename ?? ctx.uri}`);
  return null;
}

const isIfKind = (s: CoreSection): boolean => s.kind === 'if' || s.kind === 'elseif' || s.kind === 'else';

/** The `<If>` chain sections of a section list, found once per loaded configuration. */
const ifChains = new WeakMap<readonly CoreSection[], readonly CoreSection[]>();
function ifChainsOf(list: readonly CoreSection[]): readonly CoreSection[] {
  let chains = ifChains.get(list);
  if (!chains) {
    chains = list.filter(isIfKind);
    ifChains.set(list, chains);
  }
  return chains;
}

/**
 * httpd's ap_if_walk: the `<If>`/`<ElseIf>`/`<Else>` chains that apply — the server's own (top
 * level, the main server's first), then those of every section merged into the request's
 * per-directory config, in merge order — are evaluated against the request, and the body of each
 * chain's first true branch is merged over the config (its own nested chains after it). A
 * condition that cannot be evaluated is false (AH00039 in the error log).
 */
function ifWalk(ctx: RequestContext, st: RequestState): void {
  const top = ifChainsOf(st.server.core.sections);
  // A config merged from one section only may be that section's own record: its nested chains.
  const nested = st.dir === st.server.dirDefaults ? [] : ifSectionsOf(coreDir(st.dir));
  if (top.length === 0 && nested.length === 0) return;
  const exprCtx = requestExprContext(ctx, st);
  const walk = (list: readonly CoreSection[]): void => {
    let prev = -1;
    for (const sec of list) {
      if (sec.kind !== 'if' && prev === 1) continue;
      if (sec.expr) {
        let hit = false;
        try {
          hit = evalCondition(sec.expr, exprCtx);
        } catch (e) {
          requestErrorLog(st).log('error', 'core', `AH00039: Failed to evaluate <If > condition: ${e instanceof Error ? e.message : String(e)}`, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
        }
        if (!hit) {
          prev = 0;
          continue;
        }
      }
      prev = 1;
      st.dir = mergeDirSets(st.dir, sec.dirConfigs);
      const inner = ifChainsOf(sec.nested);
      if (inner.length > 0) walk(inner);
    }
  };
  walk(top);
  walk(nested);
}

/** httpd's AP_DEFAULT_LIMIT_REQUEST_BODY: 1 GiB (since 2.4.54). */
const DEFAULT_LIMIT_REQUEST_BODY = 1073741824;

/**
 * LimitRequestBody, for a request featherd answers itself: httpd reads or discards the body of
 * such a request, and answers 413 instead when it is over the limit (whatever the answer would
 * have been: a file, a redirect, a 403). A proxied request (ProxyPass, RewriteRule [P],
 * SetHandler proxy:) is not limited, as in httpd 2.4.71. A Content-Length over the limit is
 * answered at once; a chunked body is read (and dropped) until it ends or passes the limit.
 * The balancer-manager reads its form itself.
 */
function bodyOverLimit(ctx: RequestContext): HttpError | undefined | Promise<HttpError | undefined> {
  const cl = ctx.req.headers['content-length'];
  const chunked = cl === undefined && ctx.req.headers['transfer-encoding'] !== undefined;
  if ((cl === undefined && !chunked) || ctx.handler === 'proxy-server' || ctx.handler === 'balancer-manager') return undefined;
  const st = requestState(ctx);
  const dir = st ? coreDir(st.dir) : undefined;
  if (dir?.handler?.startsWith('proxy:')) return undefined;
  const limit = dir?.limitRequestBody ?? DEFAULT_LIMIT_REQUEST_BODY;
  if (limit === 0) return undefined;
  if (cl !== undefined) {
    if (!(Number(cl) > limit)) return undefined;
    return { ...httpError(413, `AH00525: Requested content-length of ${cl} is larger than the configured limit of ${limit}`), unreadBody: true };
  }
  return readBodyUpTo(ctx.req, limit, false).then(({ over }) =>
    over ? { ...httpError(413, `AH01591: Read content-length of more than ${limit} is larger than the configured limit of ${limit}`), unreadBody: true } : undefined,
  );
}

/**
 * TRACE for a request that is not proxied (httpd's ap_send_http_trace, a map_to_storage hook, so
 * before any access check): the request echoed back; with TraceEnable off a 405 whose Allow is
 * empty; a request body only with TraceEnable extended (else 413).
 */
function trace(compiled: CompiledConfig, ctx: RequestContext): HookResult | Promise<HookResult> {
  if (ctx.method !== 'TRACE' || ctx.filename?.startsWith('proxy:')) return 'declined';
  const setting = requestState(ctx)?.server.core.traceEnable ?? compiled.main.core.traceEnable ?? 'on';
  if (setting === 'off') return { ...httpError(405, 'TRACE denied by server configuration'), headers: { Allow: '' } };
  const h = ctx.req.headers;
  const body = (h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined;
  if (!body) {
    sendTraceEcho(ctx);
    return 'done';
  }
  if (setting !== 'extended') return httpError(413, 'TRACE with a request body is not allowed');
  return readTraceBody(ctx.req).then((b) => {
    if (b === undefined) return httpError(413, 'TRACE with request body is not allowed: more than 64k');
    sendTraceEcho(ctx, b);
    return 'done' as const;
  });
}

export const coreRuntime: RuntimeHooks = {
  compile: compileStatic,
  register(pipeline, compiled) {
    // The <If> walk follows the location walk of map_to_storage and comes before every access hook.
    pipeline.register('access', 'core:if_walk', (ctx) => {
      const st = requestState(ctx);
      if (st) ifWalk(ctx, st);
      return 'declined';
    });
    registerStatic(pipeline, compiled);
    pipeline.register('map_to_storage', 'core:trace', (ctx) => trace(compiled, ctx));
    pipeline.register('post_read', 'core:vhost', (ctx) => selectServer(compiled, ctx) ?? 'declined');
    pipeline.register('translate', 'core:location_walk', (ctx) => {
      const st = requestState(ctx);
      if (st) st.dir = walkDir(st.server, ctx.uri, st.proxySections, ctx.env);
      return 'declined';
    });
    // Before any handler, and in place of any other error: the body limit.
    // (Synchronous unless a chunked body is to be read: most requests have no body.)
    pipeline.register('handler', 'core:limit_request_body', (ctx) => {
      const over = bodyOverLimit(ctx);
      if (over === undefined) return 'declined';
      return over instanceof Promise ? over.then((e) => e ?? 'declined') : over;
    });
    // An error answered with the body over the limit: httpd, discarding the body, meets the
    // limit and answers 413, noting the error it was answering.
    compiled.errorResponders.push(async (ctx, error) => {
      const over = error.status === 413 ? undefined : await bodyOverLimit(ctx);
      if (!over) return errorDocument(pipeline, ctx, error);
      sendPageNoting(ctx, over, error);
      return true;
    });
  },
};
