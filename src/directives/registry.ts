import type { DirectiveEntry, ModuleDef, Registry } from './types.js';

/** Build a registry from module definitions. Later modules' entries come after earlier ones'. */
export function createRegistry(modules: ModuleDef[]): Registry {
  const byId = new Map<string, ModuleDef>();
  const byFile = new Map<string, ModuleDef>();
  const byName = new Map<string, { module: ModuleDef; entry: DirectiveEntry }[]>();
  for (const m of modules) {
    byId.set(m.id, m);
    byFile.set(m.file, m);
    for (const entry of m.directives) {
      const key = entry.name.toLowerCase();
      const list = byName.get(key) ?? [];
      list.push({ module: m, entry });
      byName.set(key, list);
    }
  }
  return {
    modules,
    moduleById: (id) => byId.get(id),
    moduleByFile: (file) => byFile.get(file),
    lookup: (lowerName) => byName.get(lowerName) ?? [],
  };
}
