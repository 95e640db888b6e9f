/**
 * mod_lbmethod_bybusyness: the member with the fewest requests in flight (`busy`); ties are
 * broken by byrequests' weighted counting.
 */
import { getCountedMember, type LbMethod } from '../proxy_balancer/lbmethod.js';

export const bybusyness: LbMethod = {
  name: 'bybusyness',
  finder: (b) => getCountedMember(b, (cur, prev) => cur.busy < prev.busy || (cur.busy === prev.busy && cur.lbstatus > prev.lbstatus)),
  reset(b) {
    for (const m of b.members) {
      m.lbstatus = 0;
      m.busy = 0;
    }
  },
};
