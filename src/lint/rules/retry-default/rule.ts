import type { Diagnostic } from '../../../util/diagnostics.js';
import { balancers } from '../../records.js';
import type { LintRule } from '../../types.js';

/**
 * A balancer member that fails is put in error state and skipped for `retry` seconds, 60 by
 * default: a backend that restarts in two seconds stays out of rotation for a minute.
 */
export const retryDefault: LintRule = {
  id: 'retry-default',
  description: 'Balancer member without retry=: a failed backend stays out of rotation for 60 seconds',
  check(state) {
    const out: Diagnostic[] = [];
    for (const balancer of balancers(state)) {
      for (const m of balancer.members) {
        if (m.set.includes('retry') || m.params.retry !== undefined) continue;
        out.push({
          severity: 'warning',
          rule: 'retry-default',
          message: `balancer member '${m.displayName}' of ${balancer.name} has no retry=: after a failure it is skipped for 60 seconds (set e.g. retry=5)`,
          loc: m.loc,
        });
      }
    }
    return out;
  },
};
