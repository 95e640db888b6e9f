import type { ConfigSet, ModuleDef } from '../../directives/types.js';
import { bindSetEnvIf, createSetEnvIfDirConfig, setenvifDirectives, type SetEnvIfDirConfig } from './directives.js';

/** mod_setenvif.c */
export const setenvifModule: ModuleDef<unknown, SetEnvIfDirConfig> = {
  id: 'setenvif_module',
  file: 'mod_setenvif.c',
  createDirConfig: createSetEnvIfDirConfig,
  mergeDirConfig: (base, add) => ({ rules: [...base.rules, ...add.rules] }),
  directives: setenvifDirectives,
};
bindSetEnvIf(setenvifModule);

/** The SetEnvIf rules of a per-dir config set (the server's defaults or a section's), if any. */
export function setenvifOf(set: ConfigSet): SetEnvIfDirConfig | undefined {
  return set.get(setenvifModule as ModuleDef) as SetEnvIfDirConfig | undefined;
}
export type { SetEnvIfDirConfig, SetEnvIfRule } from './directives.js';
