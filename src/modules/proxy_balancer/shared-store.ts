/**
 * Balancer state shared by the processes of a several-process server (src/runtime/cluster.ts),
 * where httpd keeps it in shared memory. Each process keeps its own records (MemoryStore); after
 * a change — under `lock`, or right after it in the same turn (markError) — the shared part of a
 * balancer's record is published through the parent, and the other processes write it into
 * theirs. Shared: member status flags and error time, retries, the settings the
 * balancer-manager edits (weights, sets, routes, redirects, retry, health-check settings and
 * counts), the balancer's own settings, and members added through the manager (the other
 * processes make the member and its pool when they first see it). Per process: the lbmethods'
 * counters (lbstatus, elected, busy, transferred, read), as each process balances the requests
 * it serves.
 */
import { createHash, randomUUID } from 'node:crypto';
import { clusterChannel, type ClusterChannel } from '../../runtime/cluster.js';
import type { StatusFlag } from '../proxy/config.js';
import { MemoryStore, type BalancerState, type BalancerStore, type MemberState } from './state.js';

const TOPIC = 'proxy_balancer:state';

/** The shared part of a member's record (its status flags as a list, to travel as JSON). */
type MemberSnapshot = Pick<
  MemberState,
  | 'name'
  | 'lbfactor'
  | 'lbset'
  | 'route'
  | 'redirect'
  | 'retry'
  | 'errorTime'
  | 'retries'
  | 'hcMethod'
  | 'hcInterval'
  | 'hcPasses'
  | 'hcFails'
  | 'hcUri'
  | 'hcExpr'
> & { status: StatusFlag[] };

/** The shared part of a balancer's record. */
type BalancerSnapshot = Pick<
  BalancerState,
  | 'lbmethod'
  | 'timeout'
  | 'maxAttempts'
  | 'maxAttemptsSet'
  | 'sticky'
  | 'stickyPath'
  | 'stickyForce'
  | 'stickySeparator'
  | 'scolonSep'
  | 'forceRecovery'
  | 'failOnStatus'
  | 'failOnTimeout'
  | 'needReset'
> & { members: MemberSnapshot[] };

function snapshot(b: BalancerState): BalancerSnapshot {
  return {
    lbmethod: b.lbmethod,
    timeout: b.timeout,
    maxAttempts: b.maxAttempts,
    maxAttemptsSet: b.maxAttemptsSet,
    sticky: b.sticky,
    stickyPath: b.stickyPath,
    stickyForce: b.stickyForce,
    stickySeparator: b.stickySeparator,
    scolonSep: b.scolonSep,
    forceRecovery: b.forceRecovery,
    failOnStatus: b.failOnStatus,
    failOnTimeout: b.failOnTimeout,
    needReset: b.needReset,
    members: b.members.map((m) => ({
      name: m.name,
      status: [...m.status].sort(),
      lbfactor: m.lbfactor,
      lbset: m.lbset,
      route: m.route,
      redirect: m.redirect,
      retry: m.retry,
      errorTime: m.errorTime,
      retries: m.retries,
      hcMethod: m.hcMethod,
      hcInterval: m.hcInterval,
      hcPasses: m.hcPasses,
      hcFails: m.hcFails,
      hcUri: m.hcUri,
      hcExpr: m.hcExpr,
    })),
  };
}

/** Makes the record of a member another process added to a balancer (undefined: it cannot). */
export type AdoptMember = (b: BalancerState, name: string) => MemberState | undefined;

function applySnapshot(b: BalancerState, s: BalancerSnapshot, adopt: AdoptMember | undefined): void {
  const { members, ...settings } = s;
  Object.assign(b, settings);
  for (const ms of members) {
    let m = b.members.find((x) => x.name === ms.name);
    if (!m) {
      // A member added through the balancer-manager of another process.
      m = adopt?.(b, ms.name);
      if (!m) continue;
      b.members.push(m);
    }
    const { status, name: _name, ...rest } = ms;
    Object.assign(m, rest);
    m.status = new Set(status);
  }
}

/** A BalancerStore whose shared part follows the other processes' changes. */
export class SharedStore implements BalancerStore {
  private readonly local = new MemoryStore();
  private readonly byKey = new Map<string, BalancerState>();
  private readonly keys = new WeakMap<BalancerState, string>();
  /** What was last published or received per balancer (JSON), to publish changes only. */
  private readonly known = new Map<string, string>();
  private readonly due = new Set<string>();
  private readonly unsubscribe: () => void;
  /** Set by mod_proxy_balancer's runtime: how to make a member another process added. */
  adopt: AdoptMember | undefined;

  constructor(private readonly channel: ClusterChannel) {
    this.unsubscribe = channel.subscribe(TOPIC, (data) => this.receive(data));
  }

  balancer(key: string, init: () => BalancerState): BalancerState {
    const b = this.local.balancer(key, init);
    if (!this.byKey.has(key)) {
      this.byKey.set(key, b);
      this.keys.set(b, key);
      this.known.set(key, JSON.stringify(snapshot(b)));
    }
    return b;
  }

  all(): BalancerState[] {
    return this.local.all();
  }

  lock<T>(b: BalancerState, fn: () => T): T {
    try {
      return fn();
    } finally {
      this.changed(b);
    }
  }

  /** Stops following the other processes (a reloaded configuration has its own store). */
  close(): void {
    this.unsubscribe();
  }

  /** Publishes the balancer's shared part once this turn is over, if it changed. */
  private changed(b: BalancerState): void {
    const key = this.keys.get(b);
    if (key === undefined || this.due.has(key)) return;
    this.due.add(key);
    setImmediate(() => {
      this.due.delete(key);
      const text = JSON.stringify(snapshot(b));
      if (text === this.known.get(key)) return;
      this.known.set(key, text);
      this.channel.publish(TOPIC, { key, state: text });
    });
  }

  private receive(data: unknown): void {
    const d = data as { key?: unknown; state?: unknown };
    if (typeof d.key !== 'string' || typeof d.state !== 'string') return;
    const b = this.byKey.get(d.key);
    if (!b) return;
    applySnapshot(b, JSON.parse(d.state) as BalancerSnapshot, this.adopt);
    this.known.set(d.key, JSON.stringify(snapshot(b)));
  }
}

/** The store of a configuration's balancers: shared with the other processes when there are any. */
export function createStore(): BalancerStore & { close?(): void } {
  const channel = clusterChannel();
  return channel ? new SharedStore(channel) : new MemoryStore();
}

/**
 * A balancer's nonce (the balancer-manager's forms carry it): the same in every process of a
 * several-process server (derived from the server's seed), random otherwise.
 */
export function balancerNonce(name: string): string {
  const seed = process.env.FEATHERD_CLUSTER_SEED;
  if (!seed || clusterChannel() === null) return randomUUID();
  const h = createHash('sha256').update(`${seed}\0${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
