/**
 * The run-time state of balancers and their members: what httpd keeps in shared memory
 * (proxy_balancer_shared, proxy_worker_shared) and changes while serving — lbstatus, busy,
 * elected, error state, and whatever the balancer-manager edits.
 *
 * Everything that changes goes through a `BalancerStore`. A single-process server uses
 * `MemoryStore`; the processes of a several-process server (StartServers) each use a
 * `SharedStore` (shared-store.ts) that passes the shared part of the records to the others.
 */
import type { BalancerDef, HcMethod, StatusFlag, WorkerDef } from '../proxy/config.js';

/** httpd's worker status bits, by their `status=` letter. */
export const FLAG_NAMES: [StatusFlag, string][] = [
  ['O', 'Init '],
  ['I', 'Ign '],
  ['N', 'Drn '],
  ['G', 'Gen '],
  ['U', 'Shut '],
  ['D', 'Dis '],
  ['S', 'Stop '],
  ['E', 'Err '],
  ['H', 'Stby '],
  ['R', 'Spar '],
  ['F', 'Free '],
  ['C', 'HcFl '],
];

/** Per-member state (proxy_worker_shared). Times in microseconds since the epoch. */
export interface MemberState {
  /** The member's name as httpd keys it (`http://host:port/path`). */
  name: string;
  def: WorkerDef;
  status: Set<StatusFlag>;
  /** loadfactor × 100. */
  lbfactor: number;
  lbstatus: number;
  lbset: number;
  route: string;
  redirect: string;
  /** retry interval (µs). */
  retry: number;
  errorTime: number;
  retries: number;
  elected: number;
  busy: number;
  /** Bytes sent to / read from the member. */
  transferred: number;
  read: number;
  /** Health check settings (editable in the manager) and counters. */
  hcMethod: HcMethod;
  hcInterval: number;
  hcPasses: number;
  hcFails: number;
  hcUri: string;
  hcExpr: string;
  pcount: number;
  fcount: number;
  /** When the member's health check last ran (µs). */
  updated: number;
}

/** Per-balancer state (proxy_balancer_shared). */
export interface BalancerState {
  /** `balancer://name`. */
  name: string;
  def: BalancerDef;
  lbmethod: string;
  /** Seconds × 10⁶ to wait for a member when none is usable (0 = none). */
  timeout: number;
  maxAttempts: number;
  maxAttemptsSet: boolean;
  /** Cookie name and URL parameter name; '' = no stickiness. */
  sticky: string;
  stickyPath: string;
  /** nofailover. */
  stickyForce: boolean;
  stickySeparator: string;
  scolonSep: boolean;
  forceRecovery: boolean;
  failOnStatus: number[];
  failOnTimeout: boolean;
  nonce: string;
  /** Set when the lbmethod's counters must be reset before the next selection. */
  needReset: boolean;
  /** How many members may still be added through the manager (BalancerGrowth). */
  growth: number;
  members: MemberState[];
}

/**
 * Where balancer state lives. `lock` serialises selections and updates of one balancer (httpd's
 * PROXY_THREAD_LOCK / PROXY_GLOBAL_LOCK); in one process it simply runs `fn`.
 */
export interface BalancerStore {
  /** The state of a balancer of a server, created from `init` on first use. */
  balancer(key: string, init: () => BalancerState): BalancerState;
  /** Every balancer state in the store. */
  all(): BalancerState[];
  lock<T>(b: BalancerState, fn: () => T): T;
}

export class MemoryStore implements BalancerStore {
  private readonly map = new Map<string, BalancerState>();
  balancer(key: string, init: () => BalancerState): BalancerState {
    let b = this.map.get(key);
    if (!b) {
      b = init();
      this.map.set(key, b);
    }
    return b;
  }
  all(): BalancerState[] {
    return [...this.map.values()];
  }
  lock<T>(_b: BalancerState, fn: () => T): T {
    return fn();
  }
}

export const nowUs = (): number => Math.floor((performance.timeOrigin + performance.now()) * 1000);

/** PROXY_WORKER_IS_USABLE: none of shutdown, disabled, stopped, error, health-check failed. */
export function isUsable(m: MemberState): boolean {
  const s = m.status;
  return !(s.has('U') || s.has('D') || s.has('S') || s.has('E') || s.has('C'));
}

export const isStandby = (m: MemberState): boolean => m.status.has('H');
export const isSpare = (m: MemberState): boolean => m.status.has('R');
export const isDraining = (m: MemberState): boolean => m.status.has('N');

/** ap_proxy_parse_wstatus: `Init Ok ` for a healthy member. */
export function statusText(m: MemberState): string {
  let out = '';
  for (const [f, name] of FLAG_NAMES) if (m.status.has(f)) out += name;
  if (out === '') out = '??? ';
  if (isUsable(m)) out += 'Ok ';
  return out;
}

/** PROXY_WORKER_DEFAULT_RETRY: 60 s. */
export const DEFAULT_RETRY_US = 60_000_000;

/**
 * ap_proxy_retry_worker: a member in error state is usable again once `retry` has passed since
 * its error (at once with `I`); a stopped member never. Returns true when the member is not in
 * error any more.
 */
export function retryMember(m: MemberState, now = nowUs()): boolean {
  if (!m.status.has('E')) return true;
  if (m.status.has('S')) return false;
  if (m.status.has('I') || now > m.errorTime + m.retry) {
    m.retries++;
    m.status.delete('E');
    return true;
  }
  return false;
}

/** Puts a member in error state (connect failure, 500/503 of the scheme handler, failonstatus…). */
export function markError(m: MemberState, now = nowUs()): void {
  m.status.add('E');
  m.errorTime = now;
}
