/**
 * mod_rewrite at run time:
 *  - translate (hook_uri2file), ahead of mod_proxy's: the server's (or virtual host's) rules
 *    on the URI; the result is a proxy request ([P]: `proxy:` filename and the proxy-server
 *    handler, which ProxyPassReverse etc. then treat as any other), an external redirect,
 *    a status, a URI passed on to the other translators ([PT]), or a local path (under
 *    DocumentRoot unless its first segment exists);
 *  - fixups (hook_fixup), ahead of mod_proxy's canonicalisation and mod_alias: the rules of
 *    the request's `<Directory>`/`<Location>`, with the section prefix taken off the path
 *    before matching and put back after; a local result becomes an internal redirect
 *    (RewriteBase, or the DocumentRoot stripped), [P] a proxy request;
 *  - the forced type and handler ([T=], [H=]) in the last fixup, and the internal-redirect
 *    handler.
 */
import type { ModuleDef } from '../../directives/types.js';
import type { CompileContext, CompiledConfig, CompiledServer, RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError, type HttpError } from '../../runtime/http-error.js';
import { requestState, type RequestState } from '../../runtime/request.js';
import type { HookResult, RequestContext } from '../../runtime/server.js';
import { allowsSymlinks, documentRoot, escapePath, fileInfo, FORCED_TYPE_NOTE, fsPath, internalRedirect } from '../core/static/index.js';
import { setProxyReq } from '../proxy/runtime/proxyreq.js';
import { createRewriteServerConfig, mergeRewriteServerConfig, type RewriteDirConfig, type RewriteServerConfig } from './config.js';
import { absoluteUri, applyList, escapeAbsoluteUri, type Engine, type ListResult } from './engine.js';
import { serverNameAndPort } from './vars.js';
import fs from 'node:fs';

const FORCED_HANDLER_NOTE = 'rewrite-forced-handler';
const REDIRECT_HANDLER = 'redirect-handler';
const END = Symbol('rewrite.end');

interface RewriteGlobal {
  proxyAvailable: boolean;
}

const globals = new WeakMap<object, RewriteGlobal>();
const serverConfs = new WeakMap<CompiledServer, RewriteServerConfig>();

function compile(cc: CompileContext): undefined {
  globals.set(cc.config.data, { proxyAvailable: cc.loadedModules.includes('proxy_module') });
  const m = cc.module;
  const main = (cc.config.main.rec.configs.get(m) as RewriteServerConfig | undefined) ?? createRewriteServerConfig();
  serverConfs.set(cc.config.main, main);
  for (const v of cc.config.vhosts) {
    const own = (v.rec.configs.get(m) as RewriteServerConfig | undefined) ?? createRewriteServerConfig();
    serverConfs.set(v, mergeRewriteServerConfig(main, own));
  }
  return undefined;
}

function newEngine(compiled: CompiledConfig, ctx: RequestContext, st: RequestState, perdir?: string): Engine {
  const conf = serverConfs.get(st.server);
  const e: Engine = {
    compiled,
    ctx,
    varyThis: [],
    maps: conf?.maps ?? new Map(),
    briRR: null,
    briRC: null,
    filename: ctx.filename ?? ctx.uri,
    args: ctx.args,
    pathInfo: fileInfo(ctx)?.pathInfo ?? '',
    status: 200,
    vary: [],
    cookies: [],
    uriReduced: false,
    end: false,
    uri: '',
    limitRequestLine: st.server.core.limitRequestLine ?? 8190,
  };
  if (perdir !== undefined) e.perdir = perdir;
  return e;
}

/** add_cookie: `[;]name:value:domain[:lifetime[:path[:secure[:httponly[:samesite]]]]]`. */
export function cookieHeader(spec: string, now = Date.now()): string | null {
  let sep = ':';
  let s = spec;
  if (s.startsWith(';')) {
    sep = ';';
    s = s.slice(1);
  }
  const parts = s.split(sep).filter((x) => x !== '');
  const [name, value, domain, expires, path, secure, httponly, samesite] = parts;
  if (name === undefined || value === undefined || domain === undefined) return null;
  let out = `${name}=${value}; path=${path ?? '/'}; domain=${domain}`;
  const minutes = expires !== undefined ? parseInt(expires, 10) || 0 : 0;
  if (expires !== undefined && minutes) {
    const d = new Date(now + minutes * 60_000);
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const p = (n: number) => String(n).padStart(2, '0');
    out += `; expires=${days[d.getUTCDay()]}, ${p(d.getUTCDate())}-${months[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} GMT`;
  }
  const yes = (v: string | undefined, word: string) => v !== undefined && (v.toLowerCase() === 'true' || v === '1' || v.toLowerCase() === word.toLowerCase());
  if (yes(secure, 'secure')) out += '; secure';
  if (yes(httponly, 'HttpOnly')) out += '; HttpOnly';
  if (samesite !== undefined && samesite !== '0' && samesite.toLowerCase() !== 'false') out += `; SameSite=${samesite}`;
  return out;
}

const setCookies = Symbol('rewrite.cookies');

/** Cookies of [CO=] go out with whatever answer the request gets (err_headers_out). */
function applyEffects(e: Engine): Record<string, string> {
  const ctx = e.ctx;
  const names = (ctx.data.get(setCookies) as Set<string> | undefined) ?? new Set<string>();
  ctx.data.set(setCookies, names);
  const out: string[] = [];
  for (const spec of e.cookies) {
    const c = cookieHeader(spec);
    const name = c?.slice(0, c.indexOf('='));
    if (!c || name === undefined || names.has(name)) continue;
    names.add(name);
    out.push(c);
  }
  if (out.length) {
    const have = ctx.res.getHeader('Set-Cookie');
    const list = have === undefined ? [] : Array.isArray(have) ? have.map(String) : [String(have)];
    ctx.res.setHeader('Set-Cookie', [...list, ...out]);
  }
  if (e.forcedType !== undefined) ctx.notes.set(FORCED_TYPE_NOTE, e.forcedType);
  if (e.forcedHandler !== undefined) ctx.notes.set(FORCED_HANDLER_NOTE, e.forcedHandler);
  if (e.end) ctx.data.set(END, true);
  const cookies = ctx.res.getHeader('Set-Cookie');
  return cookies !== undefined && !Array.isArray(cookies) ? { 'Set-Cookie': String(cookies) } : Array.isArray(cookies) && cookies.length ? { 'Set-Cookie': cookies.join(', ') } : {};
}

function statusError(e: Engine, extra: Record<string, string>): HttpError {
  const status = e.status === 200 ? 500 : e.status;
  const err = httpError(status, `mod_rewrite: forcing status ${status} for ${e.ctx.uri}`);
  return Object.keys(extra).length ? { ...err, headers: extra } : err;
}

/** The redirect answer for an absolute URL result (both hooks). */
function redirectError(e: Engine, result: ListResult, oargs: string | null, extra: Record<string, string>): HttpError {
  const abs = absoluteUri(e.filename);
  let url = result !== 'noescape' ? escapeAbsoluteUri(e.filename, abs.len) : e.filename;
  if (e.args !== null) {
    const noescape = result === 'noescape' || (oargs !== null && e.args === oargs);
    url += `?${noescape ? e.args : escapePath(e.args)}`;
  }
  const status = e.status >= 300 && e.status < 400 ? e.status : 302;
  return { ...httpError(status, `mod_rewrite: redirect to ${url}`), headers: { ...extra, Location: url } };
}

function proxyRequest(g: RewriteGlobal | undefined, e: Engine, addArgs: boolean): HttpError | null {
  const ctx = e.ctx;
  if (!g?.proxyAvailable) {
    return httpError(403, `AH00669: attempt to make remote request from mod_rewrite without proxy enabled: ${e.filename}`);
  }
  ctx.filename = e.filename + (addArgs && e.args !== null ? `?${e.args}` : '');
  ctx.args = e.args;
  ctx.handler = 'proxy-server';
  setProxyReq(ctx, 'reverse');
  return null;
}

/** prefix_stat: whether the first segment of a path exists on disk. */
function prefixStat(p: string): boolean {
  const seg = p.split('/').filter((x) => x !== '')[0];
  if (seg === undefined) return true;
  try {
    fs.statSync(fsPath('/' + seg));
    return true;
  } catch {
    return false;
  }
}

async function translate(m: ModuleDef, compiled: CompiledConfig, ctx: RequestContext): Promise<HookResult> {
  const st = requestState(ctx);
  if (!st) return 'declined';
  const dconf = st.dir.get(m) as RewriteDirConfig | undefined;
  const conf = serverConfs.get(st.server);
  if (!dconf?.engine || !conf || ctx.data.get(END)) return 'declined';
  const anyUri = dconf.options?.includes('allowanyuri') === true;
  if (!anyUri && (ctx.target.unparsed === '*' || !ctx.uri.startsWith('/'))) return 'declined';
  const scriptUrl = ctx.env.get('REDIRECT_SCRIPT_URL') ?? ctx.uri;
  ctx.env.set('SCRIPT_URL', scriptUrl);
  const s = serverNameAndPort(ctx);
  ctx.env.set('SCRIPT_URI', `${s.scheme}://${s.name}${s.port === s.defaultPort ? '' : `:${s.port}`}${scriptUrl}`);
  if (conf.rules.length === 0) return 'declined';
  const oargs = ctx.args;
  const e = newEngine(compiled, ctx, st);
  const result = await applyList(conf.rules, e);
  const extra = applyEffects(e);
  if (result === 'none') return 'declined';
  if (result === 'status') return statusError(e, extra);
  ctx.args = e.args;
  if (e.filename.startsWith('proxy:') && e.filename.length > 6) {
    if (result === 'noescape') ctx.notes.set('proxy-nocanon', '1');
    return proxyRequest(globals.get(compiled.data), e, result === 'noescape') ?? 'ok';
  }
  if (absoluteUri(e.filename).len) return redirectError(e, result, oargs, extra);
  if (e.filename.startsWith('passthrough:')) {
    ctx.uri = e.filename.slice(12);
    return 'declined';
  }
  if (!e.filename.startsWith('/')) return httpError(400, `mod_rewrite: local path result ${e.filename} is not absolute`);
  if (!prefixStat(e.filename) || e.uriReduced) {
    const root = documentRoot(compiled, st.server.core.documentRoot);
    e.filename = root.endsWith('/') ? root + e.filename.slice(1) : root + e.filename;
  }
  ctx.filename = e.filename;
  return 'ok';
}

/** subst_prefix_path: `match` at the start of `input` replaced by `subst` (RewriteBase). */
function substPrefix(input: string, match: string, subst: string): string {
  let len = match.length;
  if (len && match[len - 1] === '/') len--;
  if (input.startsWith(match.slice(0, len)) && input[len] === '/') {
    const base = subst.endsWith('/') || subst === '' ? subst : subst + '/';
    return base + input.slice(len + 1);
  }
  return input;
}

async function fixup(m: ModuleDef, compiled: CompiledConfig, ctx: RequestContext): Promise<HookResult> {
  const st = requestState(ctx);
  if (!st) return 'declined';
  const dconf = st.dir.get(m) as RewriteDirConfig | undefined;
  if (!dconf?.engine || dconf.directory === undefined || dconf.rules.length === 0) return 'declined';
  const dirName = dconf.directory;
  const isProxy = ctx.filename?.startsWith('proxy:') === true;
  if (!isProxy && dconf.options?.includes('allownoslash') !== true) {
    const l = dirName.length - 1;
    if (ctx.filename !== undefined && ctx.filename.length === l && dirName[l] === '/' && dirName.startsWith(ctx.filename)) return 'declined';
  }
  if (ctx.data.get(END)) return 'declined';
  if (!allowsSymlinks(st.dir)) {
    return httpError(
      403,
      `AH00670: Options FollowSymLinks and SymLinksIfOwnerMatch are both off, so the RewriteRule directive is also forbidden due to its similar ability to circumvent directory restrictions : ${ctx.filename ?? ctx.uri}`,
    );
  }
  const ofilename = ctx.filename;
  const oargs = ctx.args;
  const e = newEngine(compiled, ctx, st, dirName);
  const result = await applyList(dconf.rules, e);
  const extra = applyEffects(e);
  if (result === 'none') return 'declined';
  if (result === 'status') return statusError(e, extra);
  ctx.args = e.args;
  if (e.filename.startsWith('proxy:') && e.filename.length > 6) {
    // Escaped here already (per-directory [P]); the proxy takes the URL as it is.
    ctx.notes.set('proxy-nocanon', '1');
    return proxyRequest(globals.get(compiled.data), e, true) ?? 'ok';
  }
  const abs = absoluteUri(e.filename);
  if (abs.len) {
    if (dconf.base !== undefined) {
      const slash = e.filename.indexOf('/', abs.len);
      if (slash >= 0 && slash + 1 < e.filename.length) {
        const cp = e.filename.slice(slash + 1);
        const cp2 = substPrefix(cp, dirName.startsWith('/') ? dirName.slice(1) : dirName, dconf.base.slice(1));
        if (cp2 !== cp) e.filename = e.filename.slice(0, slash + 1) + cp2;
      }
    }
    return redirectError(e, result, oargs, extra);
  }
  if (e.filename.startsWith('passthrough:')) e.filename = e.filename.slice(12);
  if (!e.filename.startsWith('/')) return httpError(400, `mod_rewrite: local path result ${e.filename} is not absolute`);
  if (ofilename !== undefined && e.filename === ofilename) return 'ok';
  if (dconf.base !== undefined) e.filename = substPrefix(e.filename, dirName, dconf.base);
  else {
    const root = documentRoot(compiled, st.server.core.documentRoot);
    const l = root.endsWith('/') ? root.length - 1 : root.length;
    if (e.filename.startsWith(root.slice(0, l)) && e.filename[l] === '/') e.filename = e.filename.slice(l);
  }
  ctx.notes.set('redirect-keeps-vary', '');
  ctx.filename = `redirect:${e.filename}`;
  ctx.handler = REDIRECT_HANDLER;
  return 'ok';
}

/** hook_mimetype: [H=] becomes the handler (the [T=] note is read by the content handler). */
function forcedHandler(ctx: RequestContext): 'declined' {
  const h = ctx.notes.get(FORCED_HANDLER_NOTE);
  if (h) ctx.handler = h;
  return 'declined';
}

async function redirectHandler(compiled: CompiledConfig, ctx: RequestContext): Promise<HookResult> {
  if (ctx.handler !== REDIRECT_HANDLER || !ctx.filename?.startsWith('redirect:')) return 'declined';
  const target = ctx.filename.slice(9) + (ctx.args !== null ? `?${ctx.args}` : '');
  const err = await internalRedirect(compiled, ctx, target);
  return err ?? 'done';
}

export const rewriteRuntime: RuntimeHooks = {
  compile,
  register(pipeline, compiled, m) {
    pipeline.register('translate', 'rewrite:uri2file', (ctx) => translate(m, compiled, ctx), { before: ['proxy:trans', 'alias:translate'] });
    pipeline.register('fixups', 'rewrite:fixup', (ctx) => fixup(m, compiled, ctx), { before: ['proxy:canon', 'alias:fixup_redir', 'dir:fixup_dir'] });
    pipeline.register('fixups', 'rewrite:mimetype', forcedHandler, { last: true });
    pipeline.register('handler', 'rewrite:redirect', (ctx) => redirectHandler(compiled, ctx), { before: ['proxy:handler'] });
  },
};
