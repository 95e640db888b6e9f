/**
 * Merging per-module records the way httpd's ap_merge_per_dir_configs and
 * merge_server_configs do: for every module that has a record on either side, the module's
 * merge function when it has one, else the more specific record as it is.
 */
import type { ConfigSet, ModuleDef } from '../../directives/types.js';

export function mergeDirSets(base: ConfigSet, add: ConfigSet): ConfigSet {
  return mergeSets(base, add, (m) => m.mergeDirConfig?.bind(m));
}

export function mergeServerSets(base: ConfigSet, add: ConfigSet): ConfigSet {
  return mergeSets(base, add, (m) => m.mergeServerConfig?.bind(m));
}

function mergeSets(base: ConfigSet, add: ConfigSet, merger: (m: ModuleDef) => ((b: unknown, a: unknown) => unknown) | undefined): ConfigSet {
  const out: ConfigSet = new Map(base);
  for (const [m, a] of add) {
    const b = base.get(m);
    const f = merger(m);
    out.set(m, b !== undefined && f ? f(b, a) : a);
  }
  return out;
}
