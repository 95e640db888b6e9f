import type { ModuleDef } from '../../directives/types.js';
import {
  createCoreDirConfig,
  createCoreServerConfig,
  registerCoreModule,
  type CoreDirConfig,
  type CoreServerConfig,
} from './config.js';
import { coreDirectives } from './directives.js';
import { mergeCoreDir, mergeCoreServer } from './merge.js';

/** core.c */
export const coreModule: ModuleDef<CoreServerConfig, CoreDirConfig> = {
  id: 'core_module',
  file: 'core.c',
  builtin: true,
  createServerConfig: createCoreServerConfig,
  createDirConfig: createCoreDirConfig,
  mergeServerConfig: mergeCoreServer,
  mergeDirConfig: mergeCoreDir,
  directives: coreDirectives,
};
registerCoreModule(coreModule);

export { coreServer, coreDir, coreSections, coreListeners } from './config.js';
export type { CoreServerConfig, CoreDirConfig, CoreSection, Listener, VhostAddr, ServerName } from './config.js';
export { checkMpm } from './listen.js';
export { mergeCoreDir, mergeCoreServer, effectiveOptions } from './merge.js';
