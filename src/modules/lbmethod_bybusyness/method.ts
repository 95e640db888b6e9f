/**
 * mod_lbmethod_bybusyness: the member with the fewest requests in flight (`busy`); ties are
 * broken by byrequests' weighted counting.
 */
import { getBestMember, type LbMethod } from '../proxy_balancer/lbmethod.js';

export const bybusyness: LbMethod = {
  name: 'bybusyness',
  finder(b) {
    let total = 0;
    const m = getBestMember(b, (cur, prev) => {
      cur.lbstatus += cur.lbfactor;
      total += cur.lbfactor;
      return !prev || cur.busy < prev.busy || (cur.busy === prev.busy && cur.lbstatus > prev.lbstatus);
    });
    if (m) m.lbstatus -= total;
    return m;
  },
  reset(b) {
    for (const m of b.members) {
      m.lbstatus = 0;
      m.busy = 0;
    }
  },
};
