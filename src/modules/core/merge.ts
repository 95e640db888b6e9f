import type { CoreDirConfig } from './config.js';

/**
 * core.c merge_core_dir_configs, for the fields featherd uses: a more specific section's
 * settings win, ErrorDocument entries are overlaid per status, nested sections are the
 * section's own.
 */
export function mergeCoreDirConfig(base: CoreDirConfig, add: CoreDirConfig): CoreDirConfig {
  const out: CoreDirConfig = { ...base };
  for (const [k, v] of Object.entries(add) as [keyof CoreDirConfig, unknown][]) {
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  out.errorDocuments = new Map([...base.errorDocuments, ...add.errorDocuments]);
  if (base.logLevel && add.logLevel) {
    out.logLevel = {
      level: add.logLevel.level ?? base.logLevel.level,
      modules: add.logLevel.level !== undefined ? new Map(add.logLevel.modules) : new Map([...base.logLevel.modules, ...add.logLevel.modules]),
    };
  }
  if (base.options && add.options && add.options.set === undefined) {
    const set = new Set(base.options.set ?? []);
    for (const o of add.options.add) set.add(o);
    for (const o of add.options.remove) set.delete(o);
    out.options = { set, add: new Set(), remove: new Set() };
  }
  out.nested = add.nested;
  return out;
}
