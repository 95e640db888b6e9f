import type { ConfigSection, Loc } from '../../config/ast.js';
import type { ConfigSet } from '../../directives/types.js';
import type { IpSubnet } from '../authz_host/ipsubnet.js';
import type { ParsedExpr } from './expr.js';
import type { MethodLimit } from './limit.js';

/** What a provider made of its `Require` arguments at config time. */
export type RequireArgs =
  | { provider: 'all'; granted: boolean }
  | { provider: 'env'; vars: string[] }
  | { provider: 'method'; methods: string[] }
  | { provider: 'expr'; expr: ParsedExpr; wantsUser: boolean }
  | { provider: 'ip'; subnets: IpSubnet[] }
  | { provider: 'host' | 'forward-dns'; expr: ParsedExpr }
  | { provider: 'local' }
  | { provider: 'valid-user' }
  | { provider: 'user' | 'group'; expr: ParsedExpr }
  | { provider: 'file-group' }
  /** mod_ssl's providers: the connection uses TLS / presented a certificate that verified. */
  | { provider: 'ssl' | 'ssl-verify-client' }
  /** `target`: the `<AuthzProviderAlias>` definition the name stood for when the line was read. */
  | { provider: 'alias'; alias: string; target?: AuthzAlias };

/** One `Require [not] provider args` line. */
export interface AuthzRequire {
  kind: 'require';
  /** Provider name as written (looked up case-sensitively, as httpd does). */
  provider: string;
  /** The argument text after the provider name. */
  args: string;
  parsed: RequireArgs;
  negate: boolean;
  /** Methods this line applies to (from `<Limit>`/`<LimitExcept>`); undefined: all. */
  limit?: MethodLimit;
  loc: Loc;
}

/** `<RequireAll>` (and), `<RequireAny>` (or), `<RequireNone>` (negated or), or a merge node. */
export interface AuthzSection {
  kind: 'section';
  op: 'and' | 'or';
  negate: boolean;
  /** Made by AuthMerging when configs are merged (not a real container). */
  merged: boolean;
  children: AuthzNode[];
  loc?: Loc;
}

export type AuthzNode = AuthzRequire | AuthzSection;

export type AuthMerging = 'off' | 'and' | 'or';

/** Per-directory record of mod_authz_core. */
export interface AuthzCoreDirConfig {
  /** The root of the authorization tree (an implicit `<RequireAny>`), if any `Require` was seen. */
  section?: AuthzSection;
  /** AuthMerging; undefined when not set. */
  merging?: AuthMerging;
  /** AuthzSendForbiddenOnFailure; undefined when not set. */
  forbiddenOnFailure?: boolean;
  /** The container being filled while a `<Require…>` section is walked (config time only). */
  current?: AuthzSection;
}

/** An `<AuthzProviderAlias provider alias args>` definition. */
export interface AuthzAlias {
  alias: string;
  provider: string;
  args: string;
  parsed: RequireArgs;
  /** The per-directory configs of the directives inside the section (merged before the check). */
  dirConfigs: ConfigSet;
  loc: Loc;
}

/** Global (per-configuration) state of mod_authz_core. */
export interface AuthzCoreGlobal {
  aliases: Map<string, AuthzAlias>;
  /** Sections with only negative Require lines, in the order they closed (reported after the walk). */
  negativeOnly: { message: string; container?: ConfigSection; loc: Loc }[];
}

export function createAuthzDirConfig(): AuthzCoreDirConfig {
  return {};
}

/** httpd's merge_authz_core_dir_config. */
export function mergeAuthzDirConfig(base: AuthzCoreDirConfig, add: AuthzCoreDirConfig): AuthzCoreDirConfig {
  let conf: AuthzCoreDirConfig;
  if (add.merging === undefined && !add.section && base.section) {
    conf = { ...base };
  } else if (add.merging === 'off' || add.merging === undefined || !(base.section || add.section)) {
    conf = { ...add };
  } else {
    let section: AuthzSection;
    if (base.section && add.section) {
      section = { kind: 'section', op: add.merging, negate: false, merged: true, children: [base.section, add.section] };
    } else {
      section = (base.section ?? add.section) as AuthzSection;
    }
    conf = { section, merging: add.merging };
  }
  conf.forbiddenOnFailure = add.forbiddenOnFailure ?? base.forbiddenOnFailure;
  delete conf.current;
  return conf;
}

/** httpd's format_authz_command: how a node is named in messages. */
export function describeAuthz(node: AuthzNode): string {
  if (node.kind === 'require') {
    return `Require ${node.negate ? 'not ' : ''}${node.provider} ${node.args}`;
  }
  const word = node.op === 'and' ? (node.negate ? 'NotAll' : 'All') : node.negate ? 'None' : 'Any';
  return node.merged ? `AuthMerging ${word}` : `<Require${word}>`;
}
