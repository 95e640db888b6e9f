import type { ConfigSet, ModuleDef, ServerRec } from '../../directives/types.js';
import { createAliasDirConfig, createAliasServerConfig, type AliasDirConfig, type AliasServerConfig } from './config.js';
import { aliasDirectives, bindAlias } from './directives.js';

/** mod_alias.c */
export const aliasModule: ModuleDef<AliasServerConfig, AliasDirConfig> = {
  id: 'alias_module',
  file: 'mod_alias.c',
  createServerConfig: createAliasServerConfig,
  createDirConfig: createAliasDirConfig,
  mergeDirConfig: (base, add) => ({ ...base, ...definedOnly(add), redirects: [...add.redirects, ...base.redirects] }),
  directives: aliasDirectives,
};
bindAlias(aliasModule);

export function aliasServerOf(server: ServerRec): AliasServerConfig | undefined {
  return server.configs.get(aliasModule as ModuleDef) as AliasServerConfig | undefined;
}
export function aliasDirOf(set: ConfigSet): AliasDirConfig | undefined {
  return set.get(aliasModule as ModuleDef) as AliasDirConfig | undefined;
}
export type { AliasEntry, RedirectEntry, AliasServerConfig, AliasDirConfig } from './config.js';

function definedOnly(add: AliasDirConfig): Partial<AliasDirConfig> {
  return Object.fromEntries(Object.entries(add).filter(([, v]) => v !== undefined)) as Partial<AliasDirConfig>;
}
