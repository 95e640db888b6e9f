import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_AUTHCFG } from '../../directives/types.js';
import type { ParsedExpr } from '../authz_core/expr.js';
import { parseStringExpr } from '../authz_core/expr.js';
import { authnProviderKnown } from '../authn_core/module.js';

/** Per-directory record of mod_auth_basic. */
export interface AuthBasicDirConfig {
  /** AuthBasicProvider names in order (default: `file`). */
  providers?: string[];
  authoritative?: boolean;
  /** AuthBasicFake: user and password expressions, or null for `off`. */
  fake?: { user: ParsedExpr; password: ParsedExpr } | null;
  /** AuthBasicUseDigestAlgorithm (`off` or `md5`). */
  digestAlgorithm?: 'off' | 'md5';
}

/** mod_auth_basic.c */
export const authBasicModule: ModuleDef<unknown, AuthBasicDirConfig> = {
  id: 'auth_basic_module',
  file: 'mod_auth_basic.c',
  createDirConfig: () => ({}),
  mergeDirConfig: (base, add) => ({
    providers: add.providers ?? base.providers,
    authoritative: add.authoritative ?? base.authoritative,
    fake: add.fake !== undefined ? add.fake : base.fake,
    digestAlgorithm: add.digestAlgorithm ?? base.digestAlgorithm,
  }),
  directives: [],
};

authBasicModule.directives.push(
  {
    name: 'AuthBasicProvider',
    args: 'ITERATE',
    contexts: OR_AUTHCFG,
    help: 'specify the auth providers for a directory or location',
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      const name = args[0];
      if (!authnProviderKnown(cmd, name)) return `Unknown Authn provider: ${name}`;
      const conf = cmd.dirConfig(authBasicModule);
      (conf.providers ??= []).push(name);
      return undefined;
    },
  },
  {
    name: 'AuthBasicAuthoritative',
    args: 'FLAG',
    contexts: OR_AUTHCFG,
    help: "Set to 'Off' to allow access control to be passed along to lower modules if the UserID is not known to this module",
    support: 'partial',
    note: 'there are no lower authentication modules to pass to: an unknown user is always refused with 401',
    handler(cmd: Cmd, args: string[]) {
      cmd.dirConfig(authBasicModule).authoritative = args[0] === 'On';
      return undefined;
    },
  },
  {
    name: 'AuthBasicFake',
    args: 'TAKE12',
    contexts: OR_AUTHCFG,
    help: "Fake basic authentication using the given expressions for username and password, 'off' to disable. Password defaults to 'password' if missing.",
    support: 'ignored',
    note: 'featherd does not add a fake Authorization header',
    handler(cmd: Cmd, args: string[]) {
      const [user, pass = 'password'] = args;
      const conf = cmd.dirConfig(authBasicModule);
      if (user.toLowerCase() === 'off') {
        conf.fake = null;
        return undefined;
      }
      const u = parseStringExpr(user, cmd);
      if (!u.ok) return `Could not parse fake username expression '${user}': ${u.error}`;
      const p = parseStringExpr(pass, cmd);
      if (!p.ok) return `Could not parse fake password expression associated to user '${user}': ${p.error}`;
      conf.fake = { user: u.expr, password: p.expr };
      return undefined;
    },
  },
  {
    name: 'AuthBasicUseDigestAlgorithm',
    args: 'TAKE1',
    contexts: OR_AUTHCFG,
    help: "Set to 'MD5' to use the auth provider's authentication check for digest auth, using a hash of 'user:realm:pass'",
    support: 'ignored',
    note: 'featherd checks passwords as Basic authentication only',
    handler(cmd: Cmd, args: string[]) {
      const v = args[0].toLowerCase();
      if (v !== 'off' && v !== 'md5') return `Invalid algorithm in AuthBasicUseDigestAlgorithm: ${args[0]}`;
      cmd.dirConfig(authBasicModule).digestAlgorithm = v;
      return undefined;
    },
  },
);

/** The mod_auth_basic record of one per-directory config set. */
export function authBasicConfig(dirConfigs: Map<ModuleDef, unknown>): AuthBasicDirConfig | undefined {
  return dirConfigs.get(authBasicModule as ModuleDef) as AuthBasicDirConfig | undefined;
}
