import type { Diagnostic } from '../../../util/diagnostics.js';
import { passRules } from '../../records.js';
import type { LintRule } from '../../types.js';

/**
 * ProxyPass maps by plain string concatenation: the target is the URL followed by what is left
 * of the request path after the local path. When exactly one of the two ends with `/`, the
 * result misses a slash (`/app/x` → `http://bx`) or gets a double one (`http://b//x`).
 */
export const proxypassTrailingSlash: LintRule = {
  id: 'proxypass-trailing-slash',
  description: 'ProxyPass path and URL disagree on the trailing slash',
  check(state) {
    const out: Diagnostic[] = [];
    const all = passRules(state);
    for (let i = 0; i < all.length; i++) {
      const rule = all[i];
      if (rule.kind !== 'prefix' || rule.url === '!') continue;
      const pathSlash = rule.path.endsWith('/');
      const urlSlash = rule.url.endsWith('/');
      if (pathSlash === urlSlash) continue;
      const sample = pathSlash ? `${rule.path}x` : `${rule.path}/x`;
      const mapped = `${rule.url}${pathSlash ? 'x' : '/x'}`;
      out.push({
        severity: 'warning',
        rule: 'proxypass-trailing-slash',
        message: pathSlash
          ? `${rule.directive} path '${rule.path}' ends with '/' but URL '${rule.url}' does not: '${sample}' is forwarded to '${mapped}'`
          : `${rule.directive} URL '${rule.url}' ends with '/' but path '${rule.path}' does not: '${sample}' is forwarded to '${mapped}'`,
        loc: rule.loc,
      });
    }
    return out;
  },
};
