/**
 * mod_proxy_hcheck at run time: a watchdog tick every 100 ms (httpd's AP_WD_TM_SLICE) checks
 * each balancer member whose `hcmethod` is set, is not stopped, and whose last check is older
 * than its `hcinterval`. `hcfails` failed checks in a row set the member's `C` flag (it takes no
 * requests); `hcpasses` passed checks clear `C` and `E` again. Checks run off the request path,
 * in one process when there are several; the timer and every check in progress stop when the
 * configuration generation is closed (reload, stop).
 */
import type { CompileContext, RuntimeHooks } from '../../runtime/compile/types.js';
import { runsSingletons } from '../../runtime/cluster.js';
import { balancerGlobal } from '../proxy_balancer/runtime.js';
import { setExprNames } from '../proxy_balancer/manager.js';
import { nowUs, type BalancerState, type MemberState } from '../proxy_balancer/state.js';
import type { ProxyServerConfig } from '../proxy/config.js';
import type { Expr } from '../../expr/index.js';
import { hcheckServer } from './config.js';
import { parseCondition, runCheck, type CheckTarget } from './check.js';

/** AP_WD_TM_SLICE */
const TICK_MS = 100;

interface Watched {
  b: BalancerState;
  /** ProxyHCExpr conditions of the server the balancer is defined in, by lower-cased name. */
  conditions: Map<string, Expr>;
  log: (message: string) => void;
}

/** Applies one check result to the member's counters and flags (hc_check's state machine). */
export function recordResult(m: MemberState, ok: boolean, now: number, log?: (message: string) => void): void {
  if (m.status.has('C')) {
    if (ok) {
      m.pcount++;
      if (m.pcount >= m.hcPasses) {
        m.status.delete('C');
        m.status.delete('E');
        m.pcount = 0;
        log?.(`AH03302: Health check ENABLING ${m.name}`);
      }
    }
  } else if (!ok) {
    m.errorTime = now;
    m.fcount++;
    if (m.fcount >= m.hcFails) {
      m.status.add('C');
      m.fcount = 0;
      log?.(`AH03303: Health check DISABLING ${m.name}`);
    }
  }
  m.updated = now;
}

function targetOf(m: MemberState, conditions: Map<string, Expr>): CheckTarget {
  const p = m.def.params;
  const timeoutUs = p.connectionTimeout ?? p.timeout ?? m.def.fromServer.timeout ?? 60_000_000;
  const expr = m.hcExpr !== '' ? conditions.get(m.hcExpr.toLowerCase()) : undefined;
  return {
    host: m.def.hostname,
    port: m.def.port,
    path: m.def.path,
    method: m.hcMethod,
    uri: m.hcUri,
    timeoutMs: Math.max(1, Math.round(timeoutUs / 1000)),
    ...(expr ? { expr } : {}),
  };
}

function compile(cc: CompileContext): undefined {
  const balancerModule = cc.registry.moduleById('proxy_balancer_module');
  const g = balancerModule ? balancerGlobal(cc.config, balancerModule) : undefined;
  const proxyModule = cc.registry.moduleById('proxy_module');
  setExprNames((conf: ProxyServerConfig | undefined) => {
    for (const server of [cc.config.main, ...cc.config.vhosts]) {
      if (proxyModule && server.configs.get(proxyModule) === conf) return [...hcheckServer(server.rec).conditions.values()].map((c): [string, string] => [c.name, c.expr]);
    }
    return [];
  });
  if (!g) return undefined;
  const watched: Watched[] = [];
  const seen = new Set<BalancerState>();
  for (const server of [cc.config.main, ...cc.config.vhosts]) {
    const conditions = new Map<string, Expr>();
    for (const [key, c] of hcheckServer(server.rec).conditions) {
      const e = parseCondition(c.expr);
      if (typeof e !== 'string') conditions.set(key, e);
    }
    for (const b of g.byServer.get(server) ?? []) {
      if (seen.has(b)) continue;
      seen.add(b);
      watched.push({ b, conditions, log: (message) => server.errorLog.log('info', 'proxy_hcheck', message) });
    }
  }
  if (!watched.some((w) => w.b.members.some((m) => m.hcMethod !== 'NONE'))) return undefined;
  // With several processes one of them checks (as httpd's singleton watchdog); the flags it sets
  // reach the others through the balancer's shared store.
  if (!runsSingletons()) return undefined;
  const abort = new AbortController();
  const running = new Set<MemberState>();
  const inflight = new Set<Promise<void>>();
  const tick = (): void => {
    const now = nowUs();
    for (const w of watched) {
      for (const m of w.b.members) {
        if (m.status.has('S') || m.hcMethod === 'NONE' || running.has(m) || !(now > m.updated + m.hcInterval)) continue;
        running.add(m);
        const p = runCheck(targetOf(m, w.conditions), abort.signal).then((ok) => {
          running.delete(m);
          inflight.delete(p);
          if (!abort.signal.aborted) g.store.lock(w.b, () => recordResult(m, ok, nowUs(), w.log));
        });
        inflight.add(p);
      }
    }
  };
  const timer = setInterval(tick, TICK_MS);
  timer.unref();
  cc.onClose(async () => {
    clearInterval(timer);
    abort.abort();
    await Promise.all([...inflight]);
  });
  return undefined;
}

export const proxyHcheckRuntime: RuntimeHooks = { compile };
