import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_AUTHCFG } from '../../directives/types.js';
import { serverRootRelative } from '../authz_core/path.js';

/** Per-directory record of mod_authn_file. */
export interface AuthnFileDirConfig {
  /** AuthUserFile, absolute. */
  userFile?: string;
}

/** mod_authn_file.c: registers the `file` authentication provider. */
export const authnFileModule: ModuleDef<unknown, AuthnFileDirConfig> = {
  id: 'authn_file_module',
  file: 'mod_authn_file.c',
  createDirConfig: () => ({}),
  mergeDirConfig: (base, add) => ({ userFile: add.userFile ?? base.userFile }),
  directives: [],
};

authnFileModule.directives.push({
  name: 'AuthUserFile',
  args: 'TAKE1',
  contexts: OR_AUTHCFG,
  help: 'text file containing user IDs and passwords',
  support: 'yes',
  handler(cmd: Cmd, args: string[]) {
    cmd.dirConfig(authnFileModule).userFile = serverRootRelative(cmd, args[0]);
    return undefined;
  },
});

/** The mod_authn_file record of one per-directory config set. */
export function authnFileConfig(dirConfigs: Map<ModuleDef, unknown>): AuthnFileDirConfig | undefined {
  return dirConfigs.get(authnFileModule as ModuleDef) as AuthnFileDirConfig | undefined;
}
