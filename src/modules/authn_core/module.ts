import type { ConfigSection } from '../../config/ast.js';
import type { Cmd, ModuleDef } from '../../directives/types.js';
import { ACCESS_CONF, GLOBAL_ONLY, OR_AUTHCFG, RSRC_CONF } from '../../directives/types.js';
import type { ConfigError } from '../../util/diagnostics.js';
import { parseStringExpr } from '../authz_core/expr.js';
import { isLoaded } from '../authz_core/loaded.js';
import { getWordConf } from '../authz_core/words.js';
import type { AuthnAlias, AuthnCoreDirConfig } from './config.js';
import { mergeAuthnDirConfig } from './config.js';

/** Authentication providers featherd knows, with the module that registers each. */
export const AUTHN_PROVIDERS = new Map<string, string>([['file', 'authn_file_module']]);

/** mod_authn_core.c */
export const authnCoreModule: ModuleDef<unknown, AuthnCoreDirConfig> = {
  id: 'authn_core_module',
  file: 'mod_authn_core.c',
  createDirConfig: () => ({}),
  mergeDirConfig: mergeAuthnDirConfig,
  directives: [],
};

/** `<AuthnProviderAlias>` definitions of a walked configuration, by alias name. */
export function authnAliases(global: Map<ModuleDef, unknown>): Map<string, AuthnAlias> {
  let m = global.get(authnCoreModule as ModuleDef) as Map<string, AuthnAlias> | undefined;
  if (!m) {
    m = new Map();
    global.set(authnCoreModule as ModuleDef, m);
  }
  return m;
}

/** Whether an authentication provider name is registered (loaded module or alias). */
export function authnProviderKnown(cmd: Cmd, name: string): boolean {
  if (authnAliases(cmd.state.global).has(name)) return true;
  const mod = AUTHN_PROVIDERS.get(name);
  return mod !== undefined && isLoaded(cmd, mod);
}

function aliasSection(cmd: Cmd, _args: string[], raw: string): string | ConfigError | undefined {
  const node = cmd.node as ConfigSection;
  const name = cmd.entry.name;
  const ctx = cmd.checkContext(GLOBAL_ONLY);
  if (ctx) return ctx;
  const end = raw.lastIndexOf('>');
  if (end < 0 || node.closed === false) return `${name}> directive missing closing '>'`;
  const inner = raw.slice(0, end);
  if (inner === '') return `${name}> directive requires additional arguments`;
  const a = getWordConf(inner);
  const b = getWordConf(a.rest);
  const provider = a.word;
  const alias = b.word;
  if (!provider || !alias) return `${name}> directive requires additional arguments`;
  if (provider.toLowerCase() === alias.toLowerCase()) {
    return 'The alias provider name must be different from the base provider name.';
  }
  if (authnProviderKnown(cmd, alias)) {
    return `The alias provider ${alias} has already be registered previously as either a base provider or an alias provider.`;
  }
  const dirConfigs = cmd.state.newDirConfigs();
  const err = cmd.walk(node.children, { override: OR_AUTHCFG | ACCESS_CONF, dirConfigs });
  if (err) return err;
  if (!authnProviderKnown(cmd, provider)) return `Unknown Authn provider: ${provider}`;
  authnAliases(cmd.state.global).set(alias, { alias, provider, dirConfigs, loc: node.loc });
  return undefined;
}

authnCoreModule.directives.push(
  {
    name: 'AuthType',
    args: 'TAKE1',
    contexts: OR_AUTHCFG,
    help: 'an HTTP authorization type (e.g., "Basic")',
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      const r = parseStringExpr(args[0], cmd);
      if (!r.ok) return `Cannot parse expression '${args[0]}' in AuthType: ${r.error}`;
      cmd.dirConfig(authnCoreModule).authType = r.expr;
      return undefined;
    },
  },
  {
    name: 'AuthName',
    args: 'TAKE1',
    contexts: OR_AUTHCFG,
    help: 'the authentication realm (e.g. "Members Only")',
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      const r = parseStringExpr(args[0], cmd);
      if (!r.ok) return `Cannot parse expression '${args[0]}' in AuthName: ${r.error}`;
      cmd.dirConfig(authnCoreModule).authName = r.expr;
      return undefined;
    },
  },
  {
    name: '<AuthnProviderAlias',
    args: 'RAW_ARGS',
    contexts: RSRC_CONF,
    help: "container for grouping an authentication provider's directives under a provider alias",
    support: 'yes',
    handler: aliasSection,
  },
);

/** The mod_authn_core record of one per-directory config set. */
export function authnCoreConfig(dirConfigs: Map<ModuleDef, unknown>): AuthnCoreDirConfig | undefined {
  return dirConfigs.get(authnCoreModule as ModuleDef) as AuthnCoreDirConfig | undefined;
}
