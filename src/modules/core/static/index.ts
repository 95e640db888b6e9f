/**
 * Local content served by the core (for what a configuration keeps local): translate under
 * DocumentRoot, the directory/file walk in map_to_storage, and the default handler — each
 * registered behind every module's hooks, as httpd's core hooks run APR_HOOK_REALLY_LAST.
 */
import type { CompileContext, CompiledConfig } from '../../../runtime/compile/types.js';
import type { Pipeline } from '../../../runtime/server.js';
import { defaultHandler, type StaticSettings } from './handler.js';
import { coreMapToStorage, coreTranslate } from './translate.js';

const settingsByConfig = new WeakMap<object, StaticSettings>();

/** The compile step: what the handler needs to know about the loaded modules. */
export function compileStatic(cc: CompileContext): undefined {
  settingsByConfig.set(cc.config.data, { autoindex: cc.loadedModules.includes('autoindex_module') });
  return undefined;
}

export function registerStatic(pipeline: Pipeline, compiled: CompiledConfig): void {
  const settings = settingsByConfig.get(compiled.data) ?? { autoindex: false };
  pipeline.register('translate', 'core:translate', (ctx) => coreTranslate(compiled, ctx), { last: true });
  pipeline.register('map_to_storage', 'core:map_to_storage', (ctx) => coreMapToStorage(compiled, ctx), { last: true });
  pipeline.register('handler', 'core:default_handler', (ctx) => defaultHandler(compiled, settings, ctx), { last: true });
}

export { internalRedirect, lookupUri, adoptSubRequest } from './redirect.js';
export { fileInfo, setContentType, contentType, fsPath, isSubRequest } from './state.js';
export { escapePath, unescapeUrl } from './escape.js';
export { effectiveOptions, allowsSymlinks } from './options.js';
export { documentRoot } from './translate.js';
export { FORCED_TYPE_NOTE } from './handler.js';
export { selfUrl, isTls } from './url.js';
