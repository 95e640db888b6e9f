/**
 * mod_proxy_balancer at run time:
 *  - compile: one state record per balancer and member (state.ts), carried over a reload when
 *    BalancerPersist is On; the `balancer` scheme registered with mod_proxy's handler;
 *  - fixups: `SetHandler balancer-manager` takes the request (as core's handler override);
 *  - handler: the balancer-manager page and its update form (manager.ts).
 * The selection and failover of a proxied request are in select.ts.
 */
import path from 'node:path';
import type { ModuleDef } from '../../directives/types.js';
import type { CompileContext, CompiledConfig, CompiledServer, RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError } from '../../runtime/http-error.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { coreDir } from '../core/config.js';
import { bybusyness } from '../lbmethod_bybusyness/method.js';
import { byrequests } from '../lbmethod_byrequests/method.js';
import { bytraffic } from '../lbmethod_bytraffic/method.js';
import { heartbeat, setHeartbeatStorage } from '../lbmethod_heartbeat/method.js';
import { findBalancer } from '../proxy/balancer.js';
import type { BalancerDef, ProxyServerConfig, WorkerDef } from '../proxy/config.js';
import { PROXY_MODULE_ID } from '../proxy/config.js';
import type { ProxyGlobal } from '../proxy/runtime.js';
import { canonHttpUrl } from '../proxy/runtime/canon.js';
import type { LbMethod } from './lbmethod.js';
import { addedMember, balancerManager } from './manager.js';
import { handleBalanced, type BalancerContext } from './select.js';
import { balancerNonce, createStore, SharedStore } from './shared-store.js';
import { DEFAULT_RETRY_US, nowUs, type BalancerState, type BalancerStore, type MemberState } from './state.js';

/** The lbmethods and the modules that provide them. */
const METHODS: [LbMethod, string][] = [
  [byrequests, 'lbmethod_byrequests_module'],
  [bytraffic, 'lbmethod_bytraffic_module'],
  [bybusyness, 'lbmethod_bybusyness_module'],
  [heartbeat, 'lbmethod_heartbeat_module'],
];

/** Load-time data of mod_proxy_balancer for one configuration generation. */
export interface BalancerGlobal {
  store: BalancerStore;
  methods: Map<string, LbMethod>;
  /** Each server's balancers, in the order of its proxy configuration. */
  byServer: Map<CompiledServer, BalancerState[]>;
  proxy: ProxyGlobal;
  proxyModule: ModuleDef;
  /** mod_proxy_hcheck is loaded: the manager shows the health-check columns. */
  hcheck: boolean;
}

/** The newest generation's states, by `server index|balancer name` (what BalancerPersist carries over). */
let latest = new Map<string, BalancerState>();

function newMember(w: WorkerDef, now: number): MemberState {
  const p = w.params;
  const status = new Set(p.status);
  status.add('O');
  return {
    name: w.name,
    def: w,
    status,
    lbfactor: p.lbfactor,
    lbstatus: 0,
    lbset: p.lbset,
    route: p.route ?? '',
    redirect: p.redirect ?? '',
    retry: p.retry ?? DEFAULT_RETRY_US,
    errorTime: 0,
    retries: 0,
    elected: 0,
    busy: 0,
    transferred: 0,
    read: 0,
    hcMethod: p.hc.method,
    hcInterval: p.hc.interval,
    hcPasses: p.hc.passes,
    hcFails: p.hc.fails,
    hcUri: p.hc.uri ?? '',
    hcExpr: p.hc.expr ?? '',
    pcount: 0,
    fcount: 0,
    updated: now,
  };
}

function newBalancer(b: BalancerDef, now: number): BalancerState {
  const p = b.params;
  const members = b.members.map((w) => newMember(w, now));
  const attemptsSet = p.maxattempts !== undefined || members.length > 1;
  return {
    name: b.name,
    def: b,
    lbmethod: p.lbmethod,
    timeout: p.timeout ?? 0,
    maxAttempts: p.maxattempts ?? (members.length > 1 ? members.length - 1 : 0),
    maxAttemptsSet: attemptsSet,
    sticky: p.sticky?.cookie ?? '',
    stickyPath: p.sticky?.path ?? '',
    stickyForce: p.nofailover === true,
    stickySeparator: p.stickySeparator,
    scolonSep: p.scolonpathdelim === true,
    forceRecovery: p.forcerecovery,
    failOnStatus: [...p.failonstatus],
    failOnTimeout: p.failontimeout === true,
    nonce: p.nonce ?? balancerNonce(b.name),
    needReset: true,
    growth: p.growth ?? 0,
    members,
  };
}

/**
 * What a reload keeps with BalancerPersist On: the settings the manager can change and the
 * counters (httpd restores the whole shared record, lbstatus included, and does not reset it).
 */
function carryOver(to: BalancerState, from: BalancerState): void {
  to.needReset = from.needReset;
  to.lbmethod = from.lbmethod;
  to.timeout = from.timeout;
  to.maxAttempts = from.maxAttempts;
  to.maxAttemptsSet = from.maxAttemptsSet;
  to.sticky = from.sticky;
  to.stickyPath = from.stickyPath;
  to.stickyForce = from.stickyForce;
  for (const old of from.members) {
    const m = to.members.find((x) => x.name === old.name);
    if (!m) {
      to.members.push({ ...old, status: new Set(old.status), busy: 0 });
      continue;
    }
    m.lbfactor = old.lbfactor;
    m.lbstatus = old.lbstatus;
    m.elected = old.elected;
    m.transferred = old.transferred;
    m.read = old.read;
    m.errorTime = old.errorTime;
    m.retries = old.retries;
    m.lbset = old.lbset;
    m.route = old.route;
    m.redirect = old.redirect;
    m.status = new Set(old.status);
    m.hcMethod = old.hcMethod;
    m.hcInterval = old.hcInterval;
    m.hcPasses = old.hcPasses;
    m.hcFails = old.hcFails;
    m.hcUri = old.hcUri;
    m.hcExpr = old.hcExpr;
  }
}

function proxyConf(server: CompiledServer, proxyModule: ModuleDef): ProxyServerConfig | undefined {
  return server.configs.get(proxyModule) as ProxyServerConfig | undefined;
}

function compile(cc: CompileContext): undefined {
  const proxyModule = cc.registry.moduleById(PROXY_MODULE_ID);
  const proxy = proxyModule ? (cc.config.data.get(proxyModule) as ProxyGlobal | undefined) : undefined;
  if (!proxyModule || !proxy) return undefined;
  const methods = new Map<string, LbMethod>();
  for (const [method, id] of METHODS) if (cc.loadedModules.includes(id)) methods.set(method.name, method);
  const store = createStore();
  cc.onClose(() => store.close?.());
  const g: BalancerGlobal = { store, methods, byServer: new Map(), proxy, proxyModule, hcheck: cc.loadedModules.includes('proxy_hcheck_module') };
  const hb = cc.registry.moduleById('lbmethod_heartbeat_module');
  const hbConf = hb ? (cc.config.main.rec.configs.get(hb) as { storage?: string } | undefined) : undefined;
  setHeartbeatStorage(path.resolve(cc.config.serverRoot, 'logs', hbConf?.storage ?? 'hb.dat'));
  const now = nowUs();
  const previous = latest;
  const next = new Map<string, BalancerState>();
  /** The first server that lists a balancer record owns its state; servers inheriting it share it. */
  const owners = new Map<BalancerDef, string>();
  for (const server of [cc.config.main, ...cc.config.vhosts]) {
    const conf = proxyConf(server, proxyModule);
    const list: BalancerState[] = [];
    for (const b of conf?.balancers ?? []) {
      let key = owners.get(b);
      if (key === undefined) {
        key = `${server.index}|${b.name}`;
        owners.set(b, key);
      }
      const k = key;
      const state = store.balancer(k, () => {
        const s = newBalancer(b, now);
        const old = previous.get(k);
        if (conf?.balancerPersist && old) carryOver(s, old);
        return s;
      });
      next.set(k, state);
      list.push(state);
    }
    g.byServer.set(server, list);
  }
  latest = next;
  // Members another process adds through its balancer-manager are made here too, with a pool
  // sized by the configuration of the server that owns the balancer.
  const ownerConf = new Map<BalancerState, ProxyServerConfig | undefined>();
  for (const [server, list] of g.byServer) for (const b of list) if (!ownerConf.has(b)) ownerConf.set(b, proxyConf(server, proxyModule));
  if (store instanceof SharedStore) store.adopt = (b, name) => addedMember(g, ownerConf.get(b), b, name);
  cc.config.data.set(cc.module, g);
  proxy.schemes.set('balancer', {
    canon(url, opts) {
      // proxy_balancer_canon: the netloc checked, the path encoded as for http, the query kept.
      const c = canonHttpUrl(`http${url.slice('balancer'.length)}`, opts);
      if (!c || !c.ok) return c ?? { ok: false, error: httpError(400, `AH01157: error parsing URL ${url}`) };
      const host = c.value.netloc.host;
      return {
        ok: true,
        value: { url: `balancer://${host}${c.value.pathAndQuery}`, netloc: { ...c.value.netloc, scheme: 'balancer' }, pathAndQuery: c.value.pathAndQuery },
      };
    },
    handle(ctx, target, exchange) {
      const st = requestState(ctx);
      const server = st?.server;
      const b = server ? findState(g, server, target.url) : undefined;
      if (!b) {
        return Promise.resolve(
          httpError(
            500,
            `AH01144: No protocol handler was valid for the URL ${ctx.uri} (scheme 'balancer'). If you are using a DSO version of mod_proxy, make sure the proxy submodules are included in the configuration using LoadModule.`,
          ),
        );
      }
      const bc: BalancerContext = {
        store,
        methods,
        log: (level, module, message) => server?.errorLog.log(level, module, message, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort }),
      };
      return handleBalanced(bc, b, ctx, target, (m) => proxy.pools.get(m.def), exchange);
    },
  });
  return undefined;
}

/**
 * ap_proxy_get_balancer over a server's balancers. A virtual host that inherits from the main
 * server (BalancerInherit or ProxyPassInherit On, the defaults) finds the main server's balancer
 * of a name first, even when it defines one of the same name itself (httpd 2.4.71 observed:
 * its merged list starts with the main server's balancers).
 */
export function findState(g: BalancerGlobal, server: CompiledServer, url: string): BalancerState | undefined {
  const conf = proxyConf(server, g.proxyModule);
  if (server.isVirtual && conf && (conf.balancerInherit !== false || conf.passInherit !== false)) {
    const main = [...g.byServer.keys()].find((s) => !s.isVirtual);
    const mainConf = main ? proxyConf(main, g.proxyModule) : undefined;
    const def = mainConf ? findBalancer(mainConf, url) : undefined;
    const st = def && main ? g.byServer.get(main)?.find((x) => x.def === def) : undefined;
    if (st) return st;
  }
  const def = conf ? findBalancer(conf, url) : undefined;
  return def ? g.byServer.get(server)?.find((s) => s.def === def) : undefined;
}

/** The balancer states of a configuration generation (for mod_proxy_hcheck and tests). */
export function balancerGlobal(compiled: Pick<CompiledConfig, 'data'>, m: ModuleDef): BalancerGlobal | undefined {
  return compiled.data.get(m) as BalancerGlobal | undefined;
}

function fixups(ctx: RequestContext): 'declined' {
  const st = requestState(ctx);
  if (st && coreDir(st.dir).handler?.toLowerCase() === 'balancer-manager') ctx.handler = 'balancer-manager';
  return 'declined';
}

export const proxyBalancerRuntime: RuntimeHooks = {
  compile,
  register(pipeline, compiled, m) {
    pipeline.register('fixups', 'proxy_balancer:manager-handler', fixups);
    pipeline.register('handler', 'proxy_balancer:manager', (ctx) => {
      const g = balancerGlobal(compiled, m);
      return g ? balancerManager(g, compiled, ctx) : 'declined';
    });
  },
};
