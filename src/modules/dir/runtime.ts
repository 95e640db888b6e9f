/**
 * mod_dir at run time (fixup_dir, fixup_dflt): a directory requested without its trailing
 * slash is redirected to it (DirectorySlash, 301); with the slash, the DirectoryIndex names
 * are looked up as sub-requests and the first that is a file (or proxied) is served in its
 * place (DirectoryIndexRedirect turns that into a redirect); FallbackResource serves a local
 * URL for what does not exist.
 */
import type { ModuleDef } from '../../directives/types.js';
import type { CompiledConfig, RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError } from '../../runtime/http-error.js';
import { requestState } from '../../runtime/request.js';
import type { HookResult, RequestContext } from '../../runtime/server.js';
import { adoptSubRequest, escapePath, fileInfo, lookupUri, selfUrl } from '../core/static/index.js';
import { coreDir } from '../core/config.js';
import type { DirDirConfig } from './directives.js';

async function fixupDir(compiled: CompiledConfig, m: ModuleDef, ctx: RequestContext): Promise<HookResult> {
  const st = requestState(ctx);
  const info = fileInfo(ctx);
  if (!st || !info?.stat?.isDirectory() || info.pathInfo !== '' || ctx.handler === 'proxy-server') return 'declined';
  const d = (st.dir.get(m) as DirDirConfig | undefined) ?? {};
  if (ctx.uri === '' || !ctx.uri.endsWith('/')) {
    if (d.slash === false) return 'declined';
    if (ctx.method !== 'GET' && ctx.env.has('redirect-carefully')) return 'declined';
    const ifile = escapePath(ctx.uri) + '/' + (ctx.args !== null ? `?${ctx.args}` : '');
    const location = selfUrl(ctx, ifile);
    return { ...httpError(301, `directory ${ctx.filename ?? ctx.uri} without a trailing slash`), headers: { Location: location } };
  }
  if (ctx.handler === 'redirect-handler') return 'declined';
  // DirectoryCheckHandler On: a directory that has a handler (SetHandler, other than none) is
  // left to it; Off (the default) looks for an index whatever the handler.
  if (d.checkHandler === true) {
    const handler = ctx.handler ?? coreDir(st.dir).handler;
    if (handler !== undefined && handler !== 'none') return 'declined';
  }
  const names = d.index ?? ['index.html'];
  if (names.length === 0) return 'declined';
  let errorStatus = 0;
  let lastError: ReturnType<typeof httpError> | undefined;
  for (const name of names) {
    const sub = await lookupUri(compiled, ctx, ctx.args !== null ? `${name}?${ctx.args}` : name);
    const subInfo = fileInfo(sub.ctx);
    if (sub.status === 200 && (sub.ctx.handler === 'proxy-server' || (subInfo?.stat?.isFile() === true && subInfo.pathInfo === ''))) {
      if (d.indexRedirect && d.indexRedirect >= 300 && d.indexRedirect < 400) {
        const location = selfUrl(sub.ctx, escapePath(sub.ctx.uri));
        return { ...httpError(d.indexRedirect, `DirectoryIndexRedirect to ${location}`), headers: { Location: location } };
      }
      adoptSubRequest(ctx, sub.ctx);
      return 'ok';
    }
    if (sub.status >= 300 && sub.status < 400 || ((sub.status === 406 || sub.status === 401) && names.length === 1)) return sub.error ?? httpError(sub.status, 'index lookup');
    if (sub.status !== 404 && sub.status !== 200) {
      errorStatus = sub.status;
      lastError = sub.error;
    }
  }
  if (errorStatus) return lastError ?? httpError(errorStatus, 'index lookup failed');
  ctx.notes.set('dir-index-names', names.join(','));
  return 'declined';
}

/** fixup_dflt: FallbackResource for a request that maps to nothing. */
async function fixupFallback(compiled: CompiledConfig, m: ModuleDef, ctx: RequestContext): Promise<HookResult> {
  const st = requestState(ctx);
  const info = fileInfo(ctx);
  if (!st || !info || info.stat !== null || ctx.handler !== undefined) return 'declined';
  const d = (st.dir.get(m) as DirDirConfig | undefined) ?? {};
  const target = d.fallback;
  if (target === undefined || target === 'disabled') return 'declined';
  const sub = await lookupUri(compiled, ctx, ctx.args !== null ? `${target}?${ctx.args}` : target);
  const subInfo = fileInfo(sub.ctx);
  if (sub.status === 200 && (sub.ctx.handler === 'proxy-server' || (subInfo?.stat?.isFile() === true && subInfo.pathInfo === ''))) {
    adoptSubRequest(ctx, sub.ctx);
    return 'ok';
  }
  if (sub.status >= 300 && sub.status < 400) return sub.error ?? httpError(sub.status, 'fallback lookup');
  return 'declined';
}

export const dirRuntime: RuntimeHooks = {
  register(pipeline, compiled, m) {
    pipeline.register('fixups', 'dir:fixup_dir', (ctx) => fixupDir(compiled, m, ctx), { last: true });
    pipeline.register('fixups', 'dir:fixup_dflt', (ctx) => fixupFallback(compiled, m, ctx), { last: true });
  },
};
