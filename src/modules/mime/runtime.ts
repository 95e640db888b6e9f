/**
 * mod_mime at run time: the TypesConfig table read at start-up, and the type checker
 * (find_ct): every dot-separated part of the file name is looked up, in order, the last one
 * found giving the type; AddType of the request's directories wins over the table for its
 * extensions. Directories get no type.
 */
import path from 'node:path';
import type { ModuleDef } from '../../directives/types.js';
import { compileError } from '../../runtime/compile/index.js';
import type { CompileContext, RuntimeHooks } from '../../runtime/compile/types.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { fileInfo, setContentType } from '../core/static/index.js';
import type { MimeDirConfig, MimeServerConfig } from './directives.js';
import { readTypesFile, type TypesTable } from './types-file.js';

const tables = new WeakMap<object, TypesTable>();

function compile(cc: CompileContext) {
  const conf = cc.config.main.rec.configs.get(cc.module) as MimeServerConfig | undefined;
  const file = path.resolve(cc.config.serverRoot, conf?.typesConfig ?? 'mime.types');
  const r = readTypesFile(file);
  if (!r.ok) return compileError(`${r.message}\nAH00016: Configuration Failed`);
  tables.set(cc.config.data, r.table);
  return undefined;
}

/** The media type mod_mime gives `filename` under the per-directory record `dir`. */
function findType(table: TypesTable, dir: MimeDirConfig | undefined, filename: string): string | undefined {
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  let type: string | undefined;
  // The name before the first dot is not an extension.
  for (const raw of base.split('.').slice(1)) {
    if (raw === '') continue;
    const ext = raw.toLowerCase();
    const forced = dir?.types.get(ext);
    if (forced !== undefined) type = forced;
    else {
      const t = table.get(ext);
      if (t !== undefined) type = t;
    }
  }
  return type;
}

function typeChecker(m: ModuleDef, table: TypesTable, ctx: RequestContext): 'declined' {
  const st = requestState(ctx);
  const info = fileInfo(ctx);
  if (!st || !info || ctx.filename === undefined) return 'declined';
  if (info.stat?.isDirectory() && info.pathInfo === '') {
    setContentType(ctx, undefined);
    return 'declined';
  }
  setContentType(ctx, findType(table, st.dir.get(m) as MimeDirConfig | undefined, ctx.filename));
  return 'declined';
}

export const mimeRuntime: RuntimeHooks = {
  compile,
  register(pipeline, compiled, m) {
    const table = tables.get(compiled.data) ?? new Map<string, string>();
    pipeline.register('access', 'mime:type_checker', (ctx) => typeChecker(m, table, ctx), { last: true });
  },
};
