/**
 * The core's translate_name and map_to_storage for local content (ap_core_translate,
 * core_map_to_storage): the URI under DocumentRoot, then the directory and file walk.
 */
import path from 'node:path';
import type { CompiledConfig } from '../../../runtime/compile/types.js';
import { httpError } from '../../../runtime/http-error.js';
import { requestState } from '../../../runtime/request.js';
import type { HookResult, RequestContext } from '../../../runtime/server.js';
import { walkFile } from './dirwalk.js';
import { setFileInfo } from './state.js';

/** DocumentRoot of a server, or httpd's compiled-in default under ServerRoot. */
export function documentRoot(compiled: CompiledConfig, docroot: string | undefined): string {
  return docroot ?? path.resolve(compiled.serverRoot, 'htdocs');
}

/** ap_core_translate: `DocumentRoot` + URI (without doubling the slash). */
export function coreTranslate(compiled: CompiledConfig, ctx: RequestContext): HookResult {
  const st = requestState(ctx);
  if (!st || ctx.uri === '*') return 'declined';
  if (!ctx.uri.startsWith('/')) return httpError(400, `AH00126: Invalid URI in request '${ctx.uri}' '${ctx.requestLine}'`);
  const root = documentRoot(compiled, st.server.core.documentRoot);
  ctx.filename = root.endsWith('/') ? root + ctx.uri.slice(1) : root + ctx.uri;
  return 'ok';
}

/** core_map_to_storage: walks the filesystem path a translate hook chose. */
export async function coreMapToStorage(compiled: CompiledConfig, ctx: RequestContext): Promise<HookResult> {
  const st = requestState(ctx);
  const f = ctx.filename;
  if (!st || f === undefined || !f.startsWith('/')) return 'declined';
  const r = await walkFile(st.server, compiled.main, f, ctx.uri);
  if (!r.ok) {
    st.dir = st.server.dirDefaults;
    return r.error;
  }
  st.dir = r.value.dir;
  ctx.filename = r.value.filename;
  setFileInfo(ctx, r.value.info);
  return 'ok';
}
