/**
 * mod_lbmethod_byrequests: weighted request counting. Every offered member gets
 * `lbstatus += lbfactor`; the one with the highest lbstatus (the earlier on a tie) is chosen and
 * pays back the sum of the factors offered, so the total stays constant.
 */
import { getCountedMember, type LbMethod } from '../proxy_balancer/lbmethod.js';

export const byrequests: LbMethod = {
  name: 'byrequests',
  finder: (b) => getCountedMember(b, (cur, prev) => cur.lbstatus > prev.lbstatus),
  reset(b) {
    for (const m of b.members) m.lbstatus = 0;
  },
};
