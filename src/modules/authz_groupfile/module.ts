import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_AUTHCFG } from '../../directives/types.js';
import { serverRootRelative } from '../authz_core/path.js';

/** Per-directory record of mod_authz_groupfile. */
export interface AuthzGroupfileDirConfig {
  /** AuthGroupFile, absolute. */
  groupFile?: string;
}

/** mod_authz_groupfile.c: registers the `Require group` and `file-group` providers. */
export const authzGroupfileModule: ModuleDef<unknown, AuthzGroupfileDirConfig> = {
  id: 'authz_groupfile_module',
  file: 'mod_authz_groupfile.c',
  createDirConfig: () => ({}),
  mergeDirConfig: (base, add) => ({ groupFile: add.groupFile ?? base.groupFile }),
  directives: [],
};

authzGroupfileModule.directives.push({
  name: 'AuthGroupFile',
  args: 'TAKE1',
  contexts: OR_AUTHCFG,
  help: 'text file containing group names and member user IDs',
  support: 'yes',
  handler(cmd: Cmd, args: string[]) {
    cmd.dirConfig(authzGroupfileModule).groupFile = serverRootRelative(cmd, args[0]);
    return undefined;
  },
});

/** The mod_authz_groupfile record of one per-directory config set. */
export function authzGroupfileConfig(dirConfigs: Map<ModuleDef, unknown>): AuthzGroupfileDirConfig | undefined {
  return dirConfigs.get(authzGroupfileModule as ModuleDef) as AuthzGroupfileDirConfig | undefined;
}
