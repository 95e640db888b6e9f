/**
 * mod_mime's merge_mime_dir_configs for the records featherd keeps: a section's extension
 * mappings are laid over the enclosing ones, and its Remove* directives take the enclosing
 * mappings of those extensions away.
 */
import type { MimeDirConfig } from './directives.js';

type ExtField = 'types' | 'charsets' | 'encodings' | 'handlers' | 'inputFilters' | 'languages' | 'outputFilters';
const FIELDS: ExtField[] = ['types', 'charsets', 'encodings', 'handlers', 'inputFilters', 'languages', 'outputFilters'];

export function mergeMimeDirConfig(base: MimeDirConfig, add: MimeDirConfig): MimeDirConfig {
  const out: MimeDirConfig = { ...base, ...definedOnly(add), removed: new Map() };
  for (const f of FIELDS) {
    const m = new Map(base[f]);
    for (const ext of add.removed.get(f) ?? []) m.delete(ext);
    for (const [k, v] of add[f]) m.set(k, v);
    out[f] = m;
    const removed = new Set([...(base.removed.get(f) ?? []), ...(add.removed.get(f) ?? [])]);
    if (removed.size) out.removed.set(f, removed);
  }
  return out;
}

function definedOnly(add: MimeDirConfig): Partial<MimeDirConfig> {
  const out: Partial<MimeDirConfig> = {};
  if (add.defaultLanguage !== undefined) out.defaultLanguage = add.defaultLanguage;
  if (add.multiviewsMatch !== undefined) out.multiviewsMatch = add.multiviewsMatch;
  if (add.usePathInfo !== undefined) out.usePathInfo = add.usePathInfo;
  return out;
}
