/**
 * mod_headers at run time:
 *  - `RequestHeader … early` (and `Header … early`) in post_read, with the server's settings;
 *  - `RequestHeader` in fixups, on the request headers the proxy then forwards;
 *  - `Header` just before the response head goes out. As httpd keeps two tables: for a normal
 *    response (a proxied one, whatever its status) `onsuccess` entries act on the response's
 *    headers and `always` entries on a second table sent before them (so `Header always unset`
 *    does not remove a backend's header); for an error response featherd makes (403, 503, …)
 *    only the `always` entries run. `Header set Content-Type` sets the one Content-Type.
 */
import type { ModuleDef } from '../../directives/types.js';
import type { RuntimeHooks } from '../../runtime/compile/types.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { requestExprContext } from '../authz_core/expr-context.js';
import { applyEntries, type ActionEnv, type HeaderTable } from './actions.js';
import type { HeadersDirConfig } from './config.js';

const ERROR_RESPONSE = Symbol('featherd.headers.error');
const WRAPPED = Symbol('featherd.headers.wrapped');

function requestTable(ctx: RequestContext): HeaderTable {
  const raw = ctx.req.rawHeaders;
  const t: HeaderTable = [];
  for (let i = 0; i + 1 < raw.length; i += 2) t.push([raw[i], raw[i + 1]]);
  return t;
}

/** Writes a request header table back to the request (rawHeaders and Node's headers object). */
function storeRequestTable(ctx: RequestContext, t: HeaderTable): void {
  const raw = ctx.req.rawHeaders;
  raw.splice(0, raw.length, ...t.flat());
  const obj: Record<string, string> = {};
  for (const [k, v] of t) {
    const n = k.toLowerCase();
    obj[n] = obj[n] === undefined ? v : `${obj[n]}, ${v}`;
  }
  ctx.req.headers = obj;
}

function actionEnv(ctx: RequestContext): ActionEnv {
  return { ctx, expr: requestExprContext(ctx, requestState(ctx)) };
}

function runRequestEntries(ctx: RequestContext, conf: HeadersDirConfig | undefined, early: boolean): void {
  if (!conf?.request.some((e) => (e.when.kind === 'early') === early)) return;
  const t = requestTable(ctx);
  applyEntries(t, conf.request, actionEnv(ctx), t, early);
  storeRequestTable(ctx, t);
}

/** Header names as they were set (Node has getRawHeaderNames; @types/node 20 does not list it). */
function rawNames(ctx: RequestContext): string[] {
  const res = ctx.res as unknown as { getRawHeaderNames?: () => string[] };
  return res.getRawHeaderNames ? res.getRawHeaderNames() : ctx.res.getHeaderNames();
}

function responseTable(ctx: RequestContext): HeaderTable {
  const res = ctx.res;
  const t: HeaderTable = [];
  for (const raw of rawNames(ctx)) {
    const n = raw.toLowerCase();
    if (n === 'server' || n === 'connection' || n === 'transfer-encoding' || n === 'keep-alive') continue;
    const v = res.getHeader(raw);
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [String(v)]) t.push([raw, one]);
  }
  return t;
}

function storeResponseTable(ctx: RequestContext, t: HeaderTable): void {
  const res = ctx.res;
  for (const raw of rawNames(ctx)) {
    const n = raw.toLowerCase();
    if (n === 'server' || n === 'connection' || n === 'transfer-encoding' || n === 'keep-alive') continue;
    res.removeHeader(raw);
  }
  const grouped = new Map<string, { name: string; values: string[] }>();
  for (const [k, v] of t) {
    const g = grouped.get(k.toLowerCase());
    if (g) g.values.push(v);
    else grouped.set(k.toLowerCase(), { name: k, values: [v] });
  }
  for (const { name, values } of grouped.values()) res.setHeader(name, values.length === 1 ? values[0] : values);
}

/** The output filter (ap_headers_output_filter / ap_headers_error_filter) on the response head. */
function fixResponse(m: ModuleDef, ctx: RequestContext): void {
  const st = requestState(ctx);
  const conf = st?.dir.get(m) as HeadersDirConfig | undefined;
  if (!conf || (conf.always.length === 0 && conf.onsuccess.length === 0)) return;
  const env = actionEnv(ctx);
  const req = requestTable(ctx);
  const current = responseTable(ctx);
  let final: HeaderTable;
  let contentType: string | undefined;
  if (ctx.data.has(ERROR_RESPONSE)) {
    contentType = applyEntries(current, conf.always, env, req, false).contentType;
    final = current;
  } else {
    const err: HeaderTable = [];
    const a = applyEntries(err, conf.always, env, req, false);
    const b = applyEntries(current, conf.onsuccess, env, req, false);
    contentType = b.contentType ?? a.contentType;
    final = [...err, ...current];
  }
  if (contentType !== undefined) {
    const i = final.findIndex(([k]) => k.toLowerCase() === 'content-type');
    const rest = final.filter(([k]) => k.toLowerCase() !== 'content-type');
    rest.splice(i < 0 ? rest.length : i, 0, ['Content-Type', contentType]);
    final = rest;
  }
  storeResponseTable(ctx, final);
}

/** Runs fixResponse once, right before the status line and headers are written. */
function wrapWriteHead(m: ModuleDef, ctx: RequestContext): void {
  const res = ctx.res;
  if (ctx.data.has(WRAPPED)) return;
  ctx.data.set(WRAPPED, true);
  const orig = res.writeHead.bind(res) as (...a: unknown[]) => unknown;
  let done = false;
  // writeHead's overloads are passed through unchanged; headers given as an argument are
  // folded into the response first so the actions see them.
  (res as unknown as { writeHead: (...a: unknown[]) => unknown }).writeHead = (...a: unknown[]) => {
    if (!done) {
      done = true;
      const last = a[a.length - 1];
      if (a.length > 1 && last !== null && typeof last === 'object') {
        const h = last as Record<string, string | string[]> | string[];
        if (Array.isArray(h)) {
          for (let i = 0; i + 1 < h.length; i += 2) res.appendHeader(h[i], h[i + 1]);
        } else {
          for (const [k, v] of Object.entries(h)) res.setHeader(k, v);
        }
        a = a.slice(0, -1);
      }
      try {
        fixResponse(m, ctx);
      } catch {
        /* a failing action leaves the headers as they were */
      }
    }
    return orig(...a);
  };
}

export const headersRuntime: RuntimeHooks = {
  register(pipeline, compiled, m) {
    pipeline.register('post_read', 'headers:early', (ctx) => {
      wrapWriteHead(m, ctx);
      const st = requestState(ctx);
      runRequestEntries(ctx, st?.server.dirDefaults.get(m) as HeadersDirConfig | undefined, true);
      return 'declined';
    });
    pipeline.register('fixups', 'headers:fixup', (ctx) => {
      const st = requestState(ctx);
      runRequestEntries(ctx, st?.dir.get(m) as HeadersDirConfig | undefined, false);
      return 'declined';
    });
    // Marks responses that are featherd's own error pages (before ErrorDocument answers).
    compiled.errorResponders.unshift((ctx) => {
      ctx.data.set(ERROR_RESPONSE, true);
      return false;
    });
  },
};
