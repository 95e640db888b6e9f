import type { ConfigSet, ServerRec, WalkState } from '../directives/types.js';
import { coreSections, type CoreSection } from '../modules/core/config.js';
import {
  proxyDir,
  proxyServer,
  type BalancerDef,
  type PassRule,
  type ProxyDirConfig,
  type WorkerDef,
} from '../modules/proxy/config.js';

/** The main server first, then the virtual hosts in file order. */
export function servers(state: WalkState): ServerRec[] {
  return [state.mainServer, ...state.vhosts];
}

function sectionSets(sections: CoreSection[], out: ConfigSet[]): void {
  for (const s of sections) {
    out.push(s.dirConfigs);
    sectionSets(s.nested, out);
  }
}

/** Every per-directory config set of a server: its defaults, its sections (nested too) and its <Proxy> sections. */
export function dirSets(server: ServerRec): ConfigSet[] {
  const out: ConfigSet[] = [server.dirConfigs];
  sectionSets(coreSections(server), out);
  for (const p of proxyServer(server).sections) out.push(p.dirConfigs);
  return out;
}

/** The proxy per-directory records of a server (without duplicates). */
export function proxyDirs(server: ServerRec): ProxyDirConfig[] {
  const seen = new Set<ProxyDirConfig>();
  for (const set of dirSets(server)) seen.add(proxyDir(set));
  return [...seen];
}

/** Every ProxyPass/ProxyPassMatch rule with the server it was written in: server-level and section-level. */
export function passRules(state: WalkState): { rule: PassRule; server: ServerRec }[] {
  const out: { rule: PassRule; server: ServerRec }[] = [];
  const seen = new Set<PassRule>();
  const add = (rule: PassRule | undefined, server: ServerRec) => {
    if (rule && !seen.has(rule)) {
      seen.add(rule);
      out.push({ rule, server });
    }
  };
  for (const s of servers(state)) {
    for (const r of proxyServer(s).aliases) add(r, s);
    for (const d of proxyDirs(s)) add(d.alias, s);
  }
  return out;
}

/** Every balancer with the server it was defined in. */
export function balancers(state: WalkState): { balancer: BalancerDef; server: ServerRec }[] {
  const out: { balancer: BalancerDef; server: ServerRec }[] = [];
  const seen = new Set<BalancerDef>();
  for (const s of servers(state)) {
    for (const b of proxyServer(s).balancers) {
      if (!seen.has(b)) {
        seen.add(b);
        out.push({ balancer: b, server: s });
      }
    }
  }
  return out;
}

/** Every worker (plain and balancer members) with the server it was defined in. */
export function workers(state: WalkState): { worker: WorkerDef; server: ServerRec }[] {
  const out: { worker: WorkerDef; server: ServerRec }[] = [];
  const seen = new Set<WorkerDef>();
  const add = (w: WorkerDef, server: ServerRec) => {
    if (!seen.has(w)) {
      seen.add(w);
      out.push({ worker: w, server });
    }
  };
  for (const s of servers(state)) for (const w of proxyServer(s).workers) add(w, s);
  for (const { balancer, server } of balancers(state)) for (const w of balancer.members) add(w, server);
  return out;
}
