import type { Diagnostic } from '../../../util/diagnostics.js';
import { balancers, passRules, proxyDirs } from '../../records.js';
import type { LintRule } from '../../types.js';

/** `balancer://name` of a URL, lower-cased, without path. */
function balancerName(url: string): string | undefined {
  // Only B and b match the regular expression's first letter.
  if ((url.charCodeAt(0) | 0x20) !== 0x62) return undefined;
  const m = /^balancer:\/\/([^/]*)/i.exec(url);
  return m ? `balancer://${m[1].toLowerCase()}` : undefined;
}

/**
 * ProxyPassReverse with a `balancer://` URL rewrites headers by comparing them with each
 * member's URL of that balancer; httpd only applies it to responses of requests sent through
 * that balancer by a ProxyPass. Without such a ProxyPass (or without the balancer) it never matches.
 */
export const proxypassreverseBalancer: LintRule = {
  id: 'proxypassreverse-balancer',
  description: 'ProxyPassReverse names a balancer:// URL that no ProxyPass sends requests to',
  check(state) {
    const used = new Set<string>();
    const all = passRules(state);
    for (let i = 0; i < all.length; i++) {
      const n = balancerName(all[i].url);
      if (n) used.add(n);
    }
    const defined = new Set(balancers(state).map((b) => b.name.toLowerCase()));
    const out: Diagnostic[] = [];
    const seen = new Set<object>();
    const perServer = proxyDirs(state);
    for (let i = 0; i < perServer.length; i++) {
      const dirs = perServer[i];
      for (let j = 0; j < dirs.length; j++) {
        const reverse = dirs[j].reverse;
        if (reverse.length === 0) continue;
        for (const r of reverse) {
          if (seen.has(r)) continue;
          seen.add(r);
          const n = balancerName(r.url);
          if (!n || used.has(n)) continue;
          out.push({
            severity: 'warning',
            rule: 'proxypassreverse-balancer',
            message: defined.has(n)
              ? `ProxyPassReverse ${r.path} ${r.url} never matches: no ProxyPass sends requests to ${n}`
              : `ProxyPassReverse ${r.path} ${r.url} never matches: ${n} has no members and no ProxyPass uses it`,
            loc: r.loc,
          });
        }
      }
    }
    return out;
  },
};
