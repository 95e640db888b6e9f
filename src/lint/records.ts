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

/** Records already gathered for a state, while `withRecords` runs (several rules ask for the same lists). */
interface Gathered {
  servers?: ServerRec[];
  passRules?: { rule: PassRule; server: ServerRec }[];
  balancers?: { balancer: BalancerDef; server: ServerRec }[];
  workers?: { worker: WorkerDef; server: ServerRec }[];
  proxyDirs: Map<ServerRec, ProxyDirConfig[]>;
  proxyServers: Map<ServerRec, ProxyServerConfig>;
}

let gathered: WeakMap<WalkState, Gathered> | undefined;

function memo(state: WalkState): Gathered | undefined {
  if (!gathered) return undefined;
  let g = gathered.get(state);
  if (!g) {
    g = { proxyDirs: new Map(), proxyServers: new Map() };
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
  if (g?.servers) return g.servers;
  const out = [state.mainServer, ...state.vhosts];
  if (g) g.servers = out;
  return out;
}

/** A server's mod_proxy record (proxyServer), looked up once per lint run when `state` is given. */
export function serverProxy(server: ServerRec, state?: WalkState): ProxyServerConfig {
  const g = state && memo(state);
  let conf = g?.proxyServers.get(server);
  if (!conf) {
    conf = proxyServer(server);
    g?.proxyServers.set(server, conf);
  }
  return conf;
}

function sectionSets(sections: CoreSection[], out: ConfigSet[]): void {
  for (const s of sections) {
    out.push(s.dirConfigs);
    sectionSets(s.nested, out);
  }
}

/** Every per-directory config set of a server: its defaults, its sections (nested too) and its <Proxy> sections. */
export function dirSets(server: ServerRec, state?: WalkState): ConfigSet[] {
  const out: ConfigSet[] = [server.dirConfigs];
  sectionSets(coreSections(server), out);
  for (const p of serverProxy(server, state).sections) out.push(p.dirConfigs);
  return out;
}

const NO_DIRS: ProxyDirConfig[] = [];

/** The proxy per-directory records of a server (without duplicates). */
export function proxyDirs(server: ServerRec, state?: WalkState): ProxyDirConfig[] {
  const g = state && memo(state);
  const known = g?.proxyDirs.get(server);
  if (known) return known;
  const sets = dirSets(server, state);
  let out: ProxyDirConfig[];
  if (sets.length === 1) {
    // Most servers have no section and no per-directory proxy setting: nothing to list.
    out = hasProxyDir(sets[0]) ? [proxyDir(sets[0])] : NO_DIRS;
  } else {
    const seen = new Set<ProxyDirConfig>();
    for (const set of sets) seen.add(proxyDir(set));
    out = [...seen];
  }
  g?.proxyDirs.set(server, out);
  return out;
}

/** Every ProxyPass/ProxyPassMatch rule with the server it was written in: server-level and section-level. */
export function passRules(state: WalkState): { rule: PassRule; server: ServerRec }[] {
  const g = memo(state);
  if (g?.passRules) return g.passRules;
  // A rule is placed in one list of one server (its server's, or its section's), so none is
  // met twice; the sections' rules are still checked against repeats, as they are few.
  const out: { rule: PassRule; server: ServerRec }[] = [];
  const inSections = new Set<PassRule>();
  const list = servers(state);
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const aliases = serverProxy(s, state).aliases;
    for (let j = 0; j < aliases.length; j++) out.push({ rule: aliases[j], server: s });
    const dirs = proxyDirs(s, state);
    for (let j = 0; j < dirs.length; j++) {
      const rule = dirs[j].alias;
      if (rule && !inSections.has(rule) && (rule.section !== undefined || !aliases.includes(rule))) {
        inSections.add(rule);
        out.push({ rule, server: s });
      }
    }
  }
  if (g) g.passRules = out;
  return out;
}

/** Every balancer with the server it was defined in. */
export function balancers(state: WalkState): { balancer: BalancerDef; server: ServerRec }[] {
  const g = memo(state);
  if (g?.balancers) return g.balancers;
  const out: { balancer: BalancerDef; server: ServerRec }[] = [];
  const seen = new Set<BalancerDef>();
  const list = servers(state);
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const own = serverProxy(s, state).balancers;
    for (let j = 0; j < own.length; j++) {
      const b = own[j];
      if (!seen.has(b)) {
        seen.add(b);
        out.push({ balancer: b, server: s });
      }
    }
  }
  if (g) g.balancers = out;
  return out;
}

/** Every worker (plain and balancer members) with the server it was defined in. */
export function workers(state: WalkState): { worker: WorkerDef; server: ServerRec }[] {
  const g = memo(state);
  if (g?.workers) return g.workers;
  // Each server's own workers are distinct; balancer members are checked against every
  // worker listed before them (only when there are balancers).
  const out: { worker: WorkerDef; server: ServerRec }[] = [];
  const list = servers(state);
  for (let i = 0; i < list.length; i++) {
    const s = list[i];
    const own = serverProxy(s, state).workers;
    for (let j = 0; j < own.length; j++) out.push({ worker: own[j], server: s });
  }
  const groups = balancers(state);
  if (groups.length > 0) {
    const seen = new Set<WorkerDef>(out.map((x) => x.worker));
    for (const { balancer, server } of groups) {
      for (const w of balancer.members) {
        if (seen.has(w)) continue;
        seen.add(w);
        out.push({ worker: w, server });
      }
    }
  }
  if (g) g.workers = out;
  return out;
}
