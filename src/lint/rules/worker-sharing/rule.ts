import type { Diagnostic } from '../../../util/diagnostics.js';
import { workers } from '../../records.js';
import type { LintRule } from '../../types.js';
import { lineRef } from '../../where.js';

/**
 * httpd reuses an existing worker whose URL is a prefix of a new ProxyPass/BalancerMember URL,
 * and then ignores every parameter written on the new line (AH01146). The fix is to define the
 * longer URL first, or to set the parameters where the worker is defined.
 */
export const workerSharing: LintRule = {
  id: 'worker-sharing',
  description: 'Worker parameters ignored because an earlier worker with a prefix URL is reused',
  check(state) {
    const out: Diagnostic[] = [];
    const all = workers(state).records;
    for (let i = 0; i < all.length; i++) {
      const worker = all[i];
      if (worker.sharedBy.length === 0) continue;
      for (const use of worker.sharedBy) {
        if (use.ignored.length === 0) continue;
        const params = use.ignored.map((p) => `${p.key}=${p.value}`).join(' ');
        out.push({
          severity: 'warning',
          rule: 'worker-sharing',
          message:
            `${use.directive} parameters ${params} are ignored: the worker '${worker.displayName}' defined at ` +
            `${lineRef(worker.loc, use.loc)} is reused for this URL (worker sharing); define the longer URL first ` +
            `or set the parameters at ${lineRef(worker.loc, use.loc)}`,
          loc: use.loc,
        });
      }
    }
    return out;
  },
};
