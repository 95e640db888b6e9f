import type { ConfigSet, ModuleDef } from '../../directives/types.js';
import { bindDir, createDirDirConfig, dirDirectives, type DirDirConfig } from './directives.js';

/** mod_dir.c */
export const dirModule: ModuleDef<unknown, DirDirConfig> = {
  id: 'dir_module',
  file: 'mod_dir.c',
  createDirConfig: createDirDirConfig,
  mergeDirConfig: (base, add) => ({ ...base, ...Object.fromEntries(Object.entries(add).filter(([, v]) => v !== undefined)) }),
  directives: dirDirectives,
};
bindDir(dirModule);

export function dirOf(set: ConfigSet): DirDirConfig | undefined {
  return set.get(dirModule as ModuleDef) as DirDirConfig | undefined;
}
export type { DirDirConfig } from './directives.js';
