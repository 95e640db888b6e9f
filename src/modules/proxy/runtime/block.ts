/**
 * ProxyBlock (`ap_proxy_checkproxyblock2`): an entry blocks a target when it is a substring of
 * the target's host name, when it starts with `*`, or — connecting directly, not through a
 * ProxyRemote — when an address the entry resolved to at start-up is an address of the target.
 */
import dns from 'node:dns/promises';
import net from 'node:net';

const DNS_WAIT_MS = 5000;

/** ProxyBlock entries with the addresses their names resolve to. */
export interface BlockList {
  entries: readonly string[];
  /** Resolved addresses per entry, filled in at start-up (empty until the lookups finish). */
  addrs: Map<string, string[]>;
  /** Settles when every start-up lookup finished (or gave up). */
  ready: Promise<void>;
}

function normalise(ip: string): string {
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase();
}

/** All addresses of `host` (an IP literal stands for itself); [] when it does not resolve in time. */
export async function resolveAll(host: string): Promise<string[]> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return [normalise(bare)];
  const found = await new Promise<string[]>((resolve) => {
    const t = setTimeout(() => resolve([]), DNS_WAIT_MS);
    dns.lookup(bare, { all: true }).then(
      (a) => (clearTimeout(t), resolve(a.map((x) => normalise(x.address)))),
      () => (clearTimeout(t), resolve([])),
    );
  });
  return [...new Set(found)];
}

const lists = new WeakMap<readonly string[], BlockList>();

/** The block list of a server's ProxyBlock entries; the lookups start on the first call (at load). */
export function blockList(entries: readonly string[]): BlockList {
  let l = lists.get(entries);
  if (l) return l;
  const addrs = new Map<string, string[]>();
  const ready = Promise.all(
    entries.map(async (e) => {
      if (e.startsWith('*')) return;
      addrs.set(e, await resolveAll(e));
    }),
  ).then(() => undefined);
  l = { entries, addrs, ready };
  lists.set(entries, l);
  return l;
}

/** The entry that blocks `hostname`, or null. `targetAddrs` is null when going through a remote proxy. */
export function blockedBy(list: BlockList, hostname: string, targetAddrs: readonly string[] | null): { entry: string; by: 'name' | 'ip'; ip?: string } | null {
  for (const e of list.entries) {
    if (hostname.includes(e) || e.startsWith('*')) return { entry: e, by: 'name' };
    if (!targetAddrs) continue;
    for (const a of list.addrs.get(e) ?? []) {
      if (targetAddrs.includes(a)) return { entry: e, by: 'ip', ip: a };
    }
  }
  return null;
}

/** True when some entry has addresses to compare (only then is the target resolved). */
export function needsAddresses(list: BlockList): boolean {
  for (const v of list.addrs.values()) if (v.length > 0) return true;
  return false;
}
