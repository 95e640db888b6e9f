import type { ModuleDef } from '../../directives/types.js';
import { versionDirectives } from './directives.js';

/** mod_version.c */
export const versionModule: ModuleDef = {
  id: 'version_module',
  file: 'mod_version.c',
  builtin: true,
  directives: versionDirectives,
};
