import type { ConfigSet, ServerRec, WalkState } from '../directives/types.js';
import { coreSections, type CoreSection } from '../modules/core/config.js';
import {
  hasProxyDir,
  proxyDir,
  proxyServer,
  type BalancerDef,
  type PassRule,
  type ProxyDirConfig,
  type ProxyServerConfig,
  type WorkerDef,
} from '../modules/proxy/config.js';

/**
 * Records already gathered for a state, while `withRecords` runs (several rules ask for the same
 * lists). Lists that belong to servers are parallel to `servers` (index i is servers[i]'s).
 */
interface Gathered {
  servers?: ServerRec[];
  proxies?: ProxyServerConfig[];
  dirs?: ProxyDirConfig[][];
  passRules?: PassRule[];
  balancers?: BalancerDef[];
  workers?: ServerRecords<WorkerDef>;
}

/** Records with, at the same index, the server each was defined in. */
export interface ServerRecords<T> {
  records: T[];
  servers: ServerRec[];
}

let gathered: WeakMap<WalkState, Gathered> | undefined;

function memo(state: WalkState): Gathered {
  if (!gathered) return {};
  let g = gathered.get(state);
  if (!g) {
    g = {};
    gathered.set(state, g);
  }
  return g;
}

/**
 * Run `fn` with the lists below computed once per state and shared (read-only) by every caller:
 * the lint rules run on a finished walk, which no longer changes.
 */
export function withRecords<T>(fn: () => T): T {
  const outer = gathered;
  gathered = new WeakMap();
  try {
    return fn();
  } finally {
    gathered = outer;
  }
}

/** The main server first, then the virtual hosts in file order. */
export function servers(state: WalkState): ServerRec[] {
  const g = memo(state);
  return (g.servers ??= [state.mainServer, ...state.vhosts]);
}

/** Each server's mod_proxy record (proxyServer), in the order of `servers`. */
export function serverProxies(state: WalkState): ProxyServerConfig[] {
  const g = memo(state);
  return (g.proxies ??= servers(state).map(proxyServer));
}

function sectionSets(sections: CoreSection[], out: ConfigSet[]): void {
  for (const s of sections) {
    out.push(s.dirConfigs);
    sectionSets(s.nested, out);
  }
}

const NO_DIRS: ProxyDirConfig[] = [];

/** The proxy per-directory records of a server (without duplicates), from its config sets. */
function dirsOf(server: ServerRec, proxy: ProxyServerConfig): ProxyDirConfig[] {
  // Every per-directory config set of the server: its defaults, its sections (nested too) and
  // its <Proxy> sections. Most servers have none but the defaults, and no proxy setting there.
  const sets: ConfigSet[] = [server.dirConfigs];
  sectionSets(coreSections(server), sets);
  for (const p of proxy.sections) sets.push(p.dirConfigs);
  if (sets.length === 1) return hasProxyDir(sets[0]) ? [proxyDir(sets[0])] : NO_DIRS;
  const seen = new Set<ProxyDirConfig>();
  for (const set of sets) seen.add(proxyDir(set));
  return [...seen];
}

/** Each server's proxy per-directory records, in the order of `servers`. */
export function proxyDirs(state: WalkState): ProxyDirConfig[][] {
  const g = memo(state);
  if (g.dirs) return g.dirs;
  const list = servers(state);
  const proxies = serverProxies(state);
  const out = new Array<ProxyDirConfig[]>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = dirsOf(list[i], proxies[i]);
  return (g.dirs = out);
}

/** Every ProxyPass/ProxyPassMatch rule: server-level and section-level. */
export function passRules(state: WalkState): PassRule[] {
  const g = memo(state);
  if (g.passRules) return g.passRules;
  // A rule is placed in one list of one server (its server's, or its section's), so none is
  // met twice; the sections' rules are still checked against repeats, as they are few.
  const out: PassRule[] = [];
  const inSections = new Set<PassRule>();
  const proxies = serverProxies(state);
  const dirs = proxyDirs(state);
  for (let i = 0; i < proxies.length; i++) {
    const aliases = proxies[i].aliases;
    for (let j = 0; j < aliases.length; j++) out.push(aliases[j]);
    const own = dirs[i];
    for (let j = 0; j < own.length; j++) {
      const rule = own[j].alias;
      if (rule && !inSections.has(rule) && (rule.section !== undefined || !aliases.includes(rule))) {
        inSections.add(rule);
        out.push(rule);
      }
    }
  }
  return (g.passRules = out);
}

/** Every balancer, once, in the order of the servers that define them. */
export function balancers(state: WalkState): BalancerDef[] {
  const g = memo(state);
  if (g.balancers) return g.balancers;
  const seen = new Set<BalancerDef>();
  const proxies = serverProxies(state);
  for (let i = 0; i < proxies.length; i++) for (const b of proxies[i].balancers) seen.add(b);
  return (g.balancers = [...seen]);
}

/** Every worker (plain and balancer members) with the server it was defined in. */
export function workers(state: WalkState): ServerRecords<WorkerDef> {
  const g = memo(state);
  if (g.workers) return g.workers;
  // Each server's own workers are distinct; balancer members are checked against every
  // worker listed before them (only when there are balancers).
  const out: ServerRecords<WorkerDef> = { records: [], servers: [] };
  const list = servers(state);
  const proxies = serverProxies(state);
  const memberOf = new Map<BalancerDef, ServerRec>();
  for (let i = 0; i < list.length; i++) {
    const own = proxies[i].workers;
    for (let j = 0; j < own.length; j++) {
      out.records.push(own[j]);
      out.servers.push(list[i]);
    }
    for (const b of proxies[i].balancers) if (!memberOf.has(b)) memberOf.set(b, list[i]);
  }
  if (memberOf.size > 0) {
    const seen = new Set<WorkerDef>(out.records);
    for (const [balancer, server] of memberOf) {
      for (const w of balancer.members) {
        if (seen.has(w)) continue;
        seen.add(w);
        out.records.push(w);
        out.servers.push(server);
      }
    }
  }
  return (g.workers = out);
}
