import type { ConfigSet, ModuleDef } from '../../directives/types.js';
import { bindEnv, createEnvDirConfig, envDirectives, type EnvDirConfig } from './directives.js';

/** mod_env.c */
export const envModule: ModuleDef<unknown, EnvDirConfig> = {
  id: 'env_module',
  file: 'mod_env.c',
  createDirConfig: createEnvDirConfig,
  mergeDirConfig: (base, add) => ({ vars: new Map([...base.vars, ...add.vars]) }),
  directives: envDirectives,
};
bindEnv(envModule);

/** The SetEnv/UnsetEnv/PassEnv record of a per-dir config set, if any. */
export function envOf(set: ConfigSet): EnvDirConfig | undefined {
  return set.get(envModule as ModuleDef) as EnvDirConfig | undefined;
}
export type { EnvDirConfig } from './directives.js';
