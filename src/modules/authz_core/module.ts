import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_AUTHCFG, RSRC_CONF } from '../../directives/types.js';
import type { AuthzCoreDirConfig, AuthzCoreGlobal } from './config.js';
import { createAuthzDirConfig, mergeAuthzDirConfig } from './config.js';
import { aliasHandler, authzCheckConfig, requireHandler, sectionHandler } from './require.js';

const directives: ModuleDef<unknown, AuthzCoreDirConfig>['directives'] = [];

/** mod_authz_core.c */
export const authzCoreModule: ModuleDef<unknown, AuthzCoreDirConfig> = {
  id: 'authz_core_module',
  file: 'mod_authz_core.c',
  createDirConfig: createAuthzDirConfig,
  mergeDirConfig: mergeAuthzDirConfig,
  directives,
  checkConfig: (state) => authzCheckConfig(state, authzCoreModule as ModuleDef),
};

directives.push(
  {
    name: '<AuthzProviderAlias',
    args: 'RAW_ARGS',
    contexts: RSRC_CONF,
    help: "container for grouping an authorization provider's directives under a provider alias",
    support: 'yes',
    handler: aliasHandler(authzCoreModule),
  },
  {
    name: 'Require',
    args: 'RAW_ARGS',
    contexts: OR_AUTHCFG,
    help: 'specifies authorization directives which one must pass (or not) for a request to suceeed',
    support: 'yes',
    handler: requireHandler(authzCoreModule),
  },
  {
    name: '<RequireAll',
    args: 'RAW_ARGS',
    contexts: OR_AUTHCFG,
    help: 'container for grouping authorization directives of which none must fail and at least one must pass for a request to succeed',
    support: 'yes',
    handler: sectionHandler(authzCoreModule),
  },
  {
    name: '<RequireAny',
    args: 'RAW_ARGS',
    contexts: OR_AUTHCFG,
    help: 'container for grouping authorization directives of which one must pass for a request to succeed',
    support: 'yes',
    handler: sectionHandler(authzCoreModule),
  },
  {
    name: '<RequireNone',
    args: 'RAW_ARGS',
    contexts: OR_AUTHCFG,
    help: 'container for grouping authorization directives of which none must pass for a request to succeed',
    support: 'yes',
    handler: sectionHandler(authzCoreModule),
  },
  {
    name: 'AuthMerging',
    args: 'TAKE1',
    contexts: OR_AUTHCFG,
    help: "controls how a <Directory>, <Location>, or similar directive's authorization directives are combined with those of its predecessor",
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      const v = args[0].toLowerCase();
      if (v !== 'off' && v !== 'and' && v !== 'or') return `${cmd.entry.name} must be one of: Off | And | Or`;
      cmd.dirConfig(authzCoreModule).merging = v;
      return undefined;
    },
  },
  {
    name: 'AuthzSendForbiddenOnFailure',
    args: 'FLAG',
    contexts: OR_AUTHCFG,
    help: "Controls if an authorization failure should result in a '403 FORBIDDEN' response instead of the HTTP-conforming '401 UNAUTHORIZED'",
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      cmd.dirConfig(authzCoreModule).forbiddenOnFailure = args[0] === 'On';
      return undefined;
    },
  },
);

/** The authorization tree and settings of one per-directory config set. */
export function authzDirConfig(dirConfigs: Map<ModuleDef, unknown>): AuthzCoreDirConfig | undefined {
  return dirConfigs.get(authzCoreModule as ModuleDef) as AuthzCoreDirConfig | undefined;
}

/** `<AuthzProviderAlias>` definitions of a walked configuration. */
export function authzAliases(global: Map<ModuleDef, unknown>): AuthzCoreGlobal['aliases'] {
  return (global.get(authzCoreModule as ModuleDef) as AuthzCoreGlobal | undefined)?.aliases ?? new Map();
}
