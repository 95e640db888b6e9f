/**
 * mod_lbmethod_bytraffic: the member with the least traffic per unit of weight,
 * `transferred / lbfactor + read / lbfactor` (integer divisions); ties go to the earlier member.
 */
import { getBestMember, type LbMethod } from '../proxy_balancer/lbmethod.js';

export const bytraffic: LbMethod = {
  name: 'bytraffic',
  finder(b) {
    let min = 0;
    return getBestMember(b, (cur, prev) => {
      const traffic = Math.trunc(cur.transferred / cur.lbfactor) + Math.trunc(cur.read / cur.lbfactor);
      if (!prev || traffic < min) {
        min = traffic;
        return true;
      }
      return false;
    });
  },
  reset(b) {
    for (const m of b.members) {
      m.lbstatus = 0;
      m.transferred = 0;
      m.read = 0;
    }
  },
};
