/**
 * mod_lbmethod_byrequests: weighted request counting. Every offered member gets
 * `lbstatus += lbfactor`; the one with the highest lbstatus (the earlier on a tie) is chosen and
 * pays back the sum of the factors offered, so the total stays constant.
 */
import { getBestMember, type LbMethod } from '../proxy_balancer/lbmethod.js';

export const byrequests: LbMethod = {
  name: 'byrequests',
  finder(b) {
    let total = 0;
    const m = getBestMember(b, (cur, prev) => {
      cur.lbstatus += cur.lbfactor;
      total += cur.lbfactor;
      return !prev || cur.lbstatus > prev.lbstatus;
    });
    if (m) m.lbstatus -= total;
    return m;
  },
  reset(b) {
    for (const m of b.members) m.lbstatus = 0;
  },
};
