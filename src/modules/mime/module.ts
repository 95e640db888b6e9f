import type { ConfigSet, ModuleDef, ServerRec } from '../../directives/types.js';
import { mergeMimeDirConfig } from './merge.js';
import { bindMime, createMimeDirConfig, mimeDirectives, type MimeDirConfig, type MimeServerConfig } from './directives.js';

/** mod_mime.c */
export const mimeModule: ModuleDef<MimeServerConfig, MimeDirConfig> = {
  id: 'mime_module',
  file: 'mod_mime.c',
  createServerConfig: () => ({}),
  createDirConfig: createMimeDirConfig,
  mergeDirConfig: mergeMimeDirConfig,
  directives: mimeDirectives,
};
bindMime(mimeModule);

export function mimeDirOf(set: ConfigSet): MimeDirConfig | undefined {
  return set.get(mimeModule as ModuleDef) as MimeDirConfig | undefined;
}
export function mimeServerOf(server: ServerRec): MimeServerConfig | undefined {
  return server.configs.get(mimeModule as ModuleDef) as MimeServerConfig | undefined;
}
export type { MimeDirConfig, MimeServerConfig } from './directives.js';
