import type { RequireArgs } from '../authz_core/config.js';
import { allWords } from '../authz_core/words.js';
import { APR_MESSAGES, parseIpSubnet, type IpSubnet } from './ipsubnet.js';

/** mod_authz_host's ip_parse_config: `Require ip addr[/mask] …`. */
export function parseIpRequire(args: string): { error: string } | { parsed: RequireArgs } {
  const words = allWords(args).filter((w) => w !== '');
  if (words.length === 0) return { error: "'require ip' requires an argument" };
  const subnets: IpSubnet[] = [];
  for (const w of words) {
    const slash = w.indexOf('/');
    const r = slash >= 0 ? parseIpSubnet(w.slice(0, slash), w.slice(slash + 1)) : parseIpSubnet(w);
    if (r === 'EINVAL') return { error: `ip address '${w}' appears to be invalid` };
    if (typeof r === 'string') return { error: `ip address '${w}' appears to be invalid: ${APR_MESSAGES[r]}` };
    subnets.push(r);
  }
  return { parsed: { provider: 'ip', subnets } };
}
