import type { Loc } from '../../config/ast.js';
import type { ConfigSet } from '../../directives/types.js';
import type { ParsedExpr } from '../authz_core/expr.js';

/** Per-directory record of mod_authn_core. */
export interface AuthnCoreDirConfig {
  /** AuthType as a string expression (`None` disables authentication). */
  authType?: ParsedExpr;
  /** AuthName (the realm) as a string expression. */
  authName?: ParsedExpr;
}

/** An `<AuthnProviderAlias provider alias>` definition. */
export interface AuthnAlias {
  alias: string;
  provider: string;
  dirConfigs: ConfigSet;
  loc: Loc;
}

export function mergeAuthnDirConfig(base: AuthnCoreDirConfig, add: AuthnCoreDirConfig): AuthnCoreDirConfig {
  return { authType: add.authType ?? base.authType, authName: add.authName ?? base.authName };
}
