import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_AUTHCFG, OR_LIMIT } from '../../directives/types.js';
import { methodLimit } from '../authz_core/limit.js';
import { APR_MESSAGES, parseIpSubnet } from '../authz_host/ipsubnet.js';
import type { AccessCompatDirConfig, AccessRule } from './config.js';
import { createAccessDirConfig, mergeAccessDirConfig } from './config.js';

const HOSTS_HELP = "'from' followed by hostnames or IP-address wildcards";

/** mod_access_compat.c */
export const accessCompatModule: ModuleDef<unknown, AccessCompatDirConfig> = {
  id: 'access_compat_module',
  file: 'mod_access_compat.c',
  createDirConfig: createAccessDirConfig,
  mergeDirConfig: mergeAccessDirConfig,
  directives: [],
};

function allowCmd(cmd: Cmd, args: string[]): string | undefined {
  const [from, where] = args;
  if (from.toLowerCase() !== 'from') return "allow and deny must be followed by 'from'";
  const limit = methodLimit(cmd);
  let rule: AccessRule;
  const lower = where.toLowerCase();
  if (lower.startsWith('env=!')) rule = { type: 'env', name: where.slice(5), negate: true };
  else if (lower.startsWith('env=')) rule = { type: 'env', name: where.slice(4), negate: false };
  else if (lower === 'all') rule = { type: 'all' };
  else {
    const slash = where.indexOf('/');
    const r = slash >= 0 ? parseIpSubnet(where.slice(0, slash), where.slice(slash + 1)) : parseIpSubnet(where);
    if (r === 'EINVAL') {
      if (slash >= 0) return 'An IP address was expected';
      if (where.includes('#')) return 'No comments are allowed here';
      rule = { type: 'host', domain: where };
    } else if (typeof r === 'string') {
      return APR_MESSAGES[r];
    } else {
      rule = { type: 'ip', subnet: r };
    }
  }
  if (limit) rule.limit = limit;
  const conf = cmd.dirConfig(accessCompatModule);
  (cmd.entry.name === 'allow' ? conf.allows : conf.denys).push(rule);
  return undefined;
}

accessCompatModule.directives.push(
  {
    name: 'order',
    args: 'TAKE1',
    contexts: OR_LIMIT,
    help: "'allow,deny', 'deny,allow', or 'mutual-failure'",
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      const v = args[0].toLowerCase();
      if (v !== 'allow,deny' && v !== 'deny,allow' && v !== 'mutual-failure') return 'unknown order';
      const limit = methodLimit(cmd);
      cmd.dirConfig(accessCompatModule).orders.push(limit ? { order: v, limit } : { order: v });
      return undefined;
    },
  },
  { name: 'allow', args: 'ITERATE2', contexts: OR_LIMIT, help: HOSTS_HELP, support: 'yes', handler: allowCmd },
  { name: 'deny', args: 'ITERATE2', contexts: OR_LIMIT, help: HOSTS_HELP, support: 'yes', handler: allowCmd },
  {
    name: 'Satisfy',
    args: 'TAKE1',
    contexts: OR_AUTHCFG,
    help: "access policy if both allow and require used ('all' or 'any')",
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      const v = args[0].toLowerCase();
      if (v !== 'all' && v !== 'any') return "Satisfy either 'any' or 'all'.";
      const limit = methodLimit(cmd);
      cmd.dirConfig(accessCompatModule).satisfy.push(limit ? { value: v, limit } : { value: v });
      return undefined;
    },
  },
);

/** The mod_access_compat record of one per-directory config set, if any directive set it. */
export function accessCompatConfig(dirConfigs: Map<ModuleDef, unknown>): AccessCompatDirConfig | undefined {
  return dirConfigs.get(accessCompatModule as ModuleDef) as AccessCompatDirConfig | undefined;
}
