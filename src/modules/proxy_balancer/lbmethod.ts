/**
 * The lbmethod provider interface (httpd's proxy_balancer_method) and the member walk every
 * method shares (proxy_util.c `ap_proxy_balancer_get_best_worker`).
 */
import { isDraining, isSpare, isStandby, isUsable, retryMember, type BalancerState, type MemberState } from './state.js';

export interface LbMethod {
  name: string;
  /** Picks a member, or undefined when none is usable. Runs under the balancer's lock. */
  finder(b: BalancerState): MemberState | undefined;
  /** Clears the method's counters (at start, and when the manager changes a member or the method). */
  reset(b: BalancerState): void;
}

/**
 * Offered `current` after `prev` (undefined for the first offer): true when `current` is now the
 * best. Methods keep their running totals in their own closure.
 */
export type IsBest = (current: MemberState, prev: MemberState | undefined) => boolean;

/**
 * ap_proxy_balancer_get_best_worker: lbsets in increasing order, the first that yields a member
 * wins. In one lbset: draining members are skipped (and count as unusable unless they are
 * spares or standbys); unusable members get a retry; usable ordinary members are offered in
 * configuration order; then as many usable spares as there are unusable members; then, if
 * nothing was chosen, the usable standbys.
 */
export function getBestMember(b: BalancerState, isBest: IsBest): MemberState | undefined {
  let best: MemberState | undefined;
  let maxLbset = 0;
  for (let cur = 0; !best && cur <= maxLbset; cur++) {
    let unusable = 0;
    const spares: MemberState[] = [];
    const standbys: MemberState[] = [];
    for (const m of b.members) {
      if (m.lbset > maxLbset) maxLbset = m.lbset;
      if (m.lbset !== cur) continue;
      if (isDraining(m)) {
        if (!isSpare(m) && !isStandby(m)) unusable++;
        continue;
      }
      if (!isUsable(m)) retryMember(m);
      if (isSpare(m)) {
        if (isUsable(m)) spares.push(m);
      } else if (isStandby(m)) {
        if (isUsable(m)) standbys.push(m);
      } else if (isUsable(m)) {
        if (isBest(m, best)) best = m;
      } else {
        unusable++;
      }
    }
    for (let i = 0; i < spares.length && i < unusable; i++) if (isBest(spares[i], best)) best = spares[i];
    if (!best) for (const m of standbys) if (isBest(m, best)) best = m;
  }
  return best;
}

/**
 * byrequests' weighted counting (also bybusyness'): every offered member gets
 * `lbstatus += lbfactor`; `ahead(cur, prev)` says whether a later offer beats the best so far.
 * The chosen member pays back the sum of the factors offered, so the total stays constant.
 */
export function getCountedMember(b: BalancerState, ahead: (cur: MemberState, prev: MemberState) => boolean): MemberState | undefined {
  let total = 0;
  const m = getBestMember(b, (cur, prev) => {
    cur.lbstatus += cur.lbfactor;
    total += cur.lbfactor;
    return !prev || ahead(cur, prev);
  });
  if (m) m.lbstatus -= total;
  return m;
}
