/**
 * mod_proxy (with mod_proxy_http) at run time, joining the pieces in ./runtime/:
 *  - compile: one undici pool per defined worker, the generic `proxy:reverse` worker, each
 *    server's ProxyPass rules (main server's first) and `<Proxy>` sections;
 *  - translate: ProxyPass matching (the merged `<Location>`'s rule first, then the server's);
 *  - map_to_storage: the `<Proxy>` walk, then the `<Location>` walk again;
 *  - fixups: canonicalisation of the target URL;
 *  - handler: worker selection (longest prefix), the exchange with the backend, and
 *    ProxyErrorOverride.
 */
import type { Client, Dispatcher, Pool } from 'undici';
import { productToken } from '../../cli/version.js';
import type { ModuleDef } from '../../directives/types.js';
import type { CompileContext, CompiledConfig, CompiledSection, CompiledServer, RuntimeHooks } from '../../runtime/compile/types.js';
import { compileProxySection } from '../../runtime/compile/sections.js';
import { httpError, type HttpResult } from '../../runtime/http-error.js';
import { requestErrorLog, requestState, serverName, setMatchEnv, serverPort, walkDir, type RequestState } from '../../runtime/request.js';
import { isPending, type RequestContext } from '../../runtime/server.js';
import { coreDir } from '../core/config.js';
import { sendTraceEcho } from '../../runtime/trace.js';
import { proxyDir, type PassRule as ConfigPassRule, type ProxyDirConfig, type ProxyServerConfig, type WorkerDef } from './config.js';
import { isBalancerUrl, findBalancer } from './balancer.js';
import { canonHttpUrl, type CanonOptions, type CanonUrl } from './runtime/canon.js';
import { beforeBackend, detectForwardProxy, FORWARD_RULE, prepareForwardProxy, type BeforeBackend } from './runtime/forward-proxy.js';
import { forwardThen, type BodyKeep, type ForwardOptions, type ForwardOutcome } from './runtime/forward.js';
import { interpolate, matchPass, type MatchRequest, type PassRule, type PassRuleSet } from './runtime/match.js';
import { createWorkerPool, DEFAULT_MAX_CONNECTIONS, GenericWorker, originOf, type WorkerSettings } from './runtime/pool.js';
import type { ReverseRules } from './runtime/reverse.js';
import { hasTlsOrUpgrade, tlsAndUpgrade, tlsSocketOf, withBackendTls, wstunnelCheckTrans } from './runtime/tls-upgrade.js';
import { undici } from './runtime/undici.js';
import { findWorker } from './worker.js';

/** Load-time data of mod_proxy for the whole configuration. */
export interface ProxyGlobal {
  pools: Map<WorkerDef, Pool>;
  generic: GenericWorker;
  /** Whether mod_proxy_http is loaded (http, https, ws, wss targets). */
  http: boolean;
  /** Targets other modules serve, by scheme (`balancer` for mod_proxy_balancer). */
  schemes: Map<string, ProxySchemeHandler>;
  /** The comment of `ProxyVia Full` (httpd writes its own product and version there). */
  viaComment: string;
  /** The largest connection pool of a worker in this process (the MPM's ThreadsPerChild). */
  poolMax: number;
}

/**
 * What the handler gives a scheme module for one exchange: the member target, its worker and
 * pool, the request body kept between attempts, and a callback told the outcome.
 */
export interface ProxyExchange {
  target: CanonUrl;
  worker: WorkerDef;
  pool: Pool;
  keep?: BodyKeep;
  report?: (out: ForwardOutcome) => void;
  onHead?: (bytes: number) => void;
}

/**
 * A module that serves targets of its own scheme (mod_proxy_balancer's canon_handler,
 * pre_request and post_request hooks): `canon` in fixups, `handle` in the handler, calling
 * `exchange` for every attempt.
 */
export interface ProxySchemeHandler {
  canon(url: string, opts: CanonOptions): HttpResult<CanonUrl>;
  handle(ctx: RequestContext, target: CanonUrl, exchange: (x: ProxyExchange) => Promise<HandlerResult>): Promise<HandlerResult>;
}

type HandlerResult = ReturnType<typeof httpError> | 'ok' | 'declined' | 'done';

/** Load-time data of mod_proxy for one server. */
export interface ProxyServerData {
  conf: ProxyServerConfig;
  rules: PassRule[];
  sections: CompiledSection[];
  /** Timeout (s) of the server, for workers without timeout= and no ProxyTimeout. */
  coreTimeoutUs: number;
}

/** What translate found, for the later phases. */
interface ProxyRequest {
  rule: PassRule;
  nocanon: boolean;
  noencode: boolean;
  target?: CanonUrl;
}

const REQ = Symbol('proxy.request');
const runtimeRules = new WeakMap<ConfigPassRule, PassRule>();

/** The matcher's view of a configured rule (built once per rule). */
export function toRuntimeRule(r: ConfigPassRule): PassRule {
  let out = runtimeRules.get(r);
  if (!out) {
    out = {
      kind: r.kind,
      path: r.path,
      url: r.url,
      ...(r.regex ? { regex: r.regex } : {}),
      ...(r.flags.nocanon ? { nocanon: true } : {}),
      ...(r.flags.noquery ? { noquery: true } : {}),
      ...(r.flags.interpolate ? { interpolate: true } : {}),
      ...(r.flags.mapping ? { mapping: r.flags.mapping } : {}),
    };
    runtimeRules.set(r, out);
  }
  return out;
}

function serverData(server: CompiledServer, m: ModuleDef): ProxyServerData | undefined {
  return server.data.get(m) as ProxyServerData | undefined;
}

const US = 1_000_000;

/**
 * Worker settings in httpd's order of fallbacks (notes/proxy-semantics.md §4.2). The pool holds
 * at most `poolMax` connections (ap_proxy_initialize_worker: `max=` is lowered to the MPM's
 * threads per process, and is that number when not given).
 */
export function workerSettings(w: WorkerDef, conf: ProxyServerConfig, coreTimeoutUs: number, poolMax = DEFAULT_MAX_CONNECTIONS): WorkerSettings {
  const io = w.params.timeout ?? w.fromServer.timeout ?? conf.timeout ?? coreTimeoutUs;
  const connect = w.params.connectionTimeout ?? io;
  const s: WorkerSettings = { connectTimeoutMs: Math.max(1, Math.round(connect / 1000)), timeoutMs: Math.max(1, Math.round(io / 1000)) };
  s.max = w.params.max !== undefined && w.params.max > 0 ? Math.min(w.params.max, poolMax) : poolMax;
  if (w.params.ttl !== undefined && w.params.ttl > 0) s.ttlMs = Math.round(w.params.ttl / 1000);
  if (w.params.disableReuse) s.disableReuse = true;
  if (w.params.keepalive === true) s.tcpKeepAlive = true;
  return s;
}

/** The generic worker's times: the main server's ProxyTimeout, else its Timeout. */
function genericSettings(cc: CompileContext): WorkerSettings {
  const main = cc.config.main;
  const conf = main.configs.get(cc.module) as ProxyServerConfig | undefined;
  const ms = Math.max(1, Math.round((conf?.timeout ?? (main.core.timeout ?? 60) * US) / 1000));
  return { connectTimeoutMs: ms, timeoutMs: ms, max: poolMaxFor(cc) };
}

/**
 * The comment `ProxyVia Full` adds: featherd's product token (`featherd/0.1.0`, as httpd writes
 * `Apache/2.4.71`), or the value of the environment variable FEATHERD_VIA_COMMENT when set.
 */
function viaComment(): string {
  const v = process.env.FEATHERD_VIA_COMMENT;
  return v !== undefined && v !== '' ? v : productToken();
}

/**
 * AP_MPMQ_MAX_THREADS of a threaded MPM. prefork answers 1 (each httpd child keeps one
 * connection per worker); featherd's process serves many requests at once whatever the MPM, so
 * it keeps the threaded MPMs' default there.
 */
function poolMaxFor(cc: CompileContext): number {
  const mpm = cc.config.mpm;
  return mpm.name === 'prefork' || mpm.maxThreads < 1 ? DEFAULT_MAX_CONNECTIONS : mpm.maxThreads;
}

function compile(cc: CompileContext): undefined {
  const m = cc.module;
  const global: ProxyGlobal = {
    pools: new Map(),
    generic: new GenericWorker(genericSettings(cc)),
    http: cc.loadedModules.includes('proxy_http_module'),
    schemes: new Map(),
    viaComment: viaComment(),
    poolMax: poolMaxFor(cc),
  };
  cc.config.data.set(m, global);
  cc.onClose(async () => {
    const pools = [...global.pools.values()];
    global.pools.clear();
    await Promise.all([...pools.map((p) => p.destroy()), global.generic.close()]);
  });
  for (const server of [cc.config.main, ...cc.config.vhosts]) {
    const conf = (server.configs.get(m) as ProxyServerConfig | undefined) ?? undefined;
    const coreTimeoutUs = (server.core.timeout ?? 60) * US;
    if (!conf) {
      server.data.set(m, { conf: emptyConf(), rules: [], sections: [], coreTimeoutUs } satisfies ProxyServerData);
      continue;
    }
    for (const w of [...conf.workers, ...conf.balancers.flatMap((b) => b.members)]) {
      // Only HTTP-like workers get a pool here; other schemes (fcgi, ajp…) belong to modules
      // featherd does not have, and requests for them fail in fixups as httpd's do. A Unix
      // domain socket (`unix:/path|http://host/`) is connected to for plain http:// workers;
      // the Host header still names the URL's host, as httpd sends it.
      if (global.pools.has(w) || !/^(https?|wss?)$/i.test(w.scheme)) continue;
      if (w.udsPath !== undefined && w.scheme.toLowerCase() !== 'http') continue;
      const origin = originOf({ scheme: w.scheme, host: w.hostname, port: w.port, explicitPort: true });
      // A ProxyPassMatch worker gets a pool when its host and port are fixed (no `$n` there).
      if (!origin.ok || (w.isMatch && /\$/.test(`${w.hostname}:${w.port}`))) continue;
      const settings = withBackendTls(workerSettings(w, conf, coreTimeoutUs, global.poolMax), w, server, conf);
      if (w.udsPath !== undefined) settings.socketPath = w.udsPath;
      global.pools.set(w, createWorkerPool(origin.value, settings));
    }
    prepareForwardProxy(conf, (fn) => cc.onClose(fn));
    server.data.set(m, {
      conf,
      rules: conf.aliases.map(toRuntimeRule),
      sections: conf.sections.map(compileProxySection),
      coreTimeoutUs,
    } satisfies ProxyServerData);
  }
  return undefined;
}

function emptyConf(): ProxyServerConfig {
  return {
    aliases: [], sections: [], workers: [], balancers: [], remotes: [], block: [], noProxy: [],
    balancerPersist: false, mapEncodedOne: false, mapEncodedAll: true,
  };
}

function translate(m: ModuleDef, ctx: RequestContext): ReturnType<typeof httpError> | 'ok' | 'declined' {
  ctx.data.delete(REQ);
  const st = requestState(ctx);
  if (!st) return 'declined';
  const sd = serverData(st.server, m);
  if (!sd) return 'declined';
  if (detectForwardProxy(ctx, st, sd.conf)) {
    if (ctx.method !== 'CONNECT') ctx.data.set(REQ, { rule: FORWARD_RULE, nocanon: true, noencode: false } satisfies ProxyRequest);
    return 'ok';
  }
  const dir = proxyDir(st.dir);
  const rules: PassRuleSet = { server: sd.rules };
  if (dir.alias) rules.location = toRuntimeRule(dir.alias);
  // The pre-translate pass (mapping=encoded rules) on the encoded path, then the others on r->uri.
  const mreq: MatchRequest = {
    uri: ctx.encodedUri,
    unparsedUri: ctx.target.unparsed,
    env: ctx.env,
    interpolateEnv: dir.interpolateEnv === true,
    checkTrans: wstunnelCheckTrans(st.dir, ctx.req.headers.upgrade),
  };
  let r = matchPass(rules, mreq, true);
  if (r.kind === 'none') {
    mreq.uri = ctx.uri;
    r = matchPass(rules, mreq, false);
  }
  if (r.kind === 'none' || r.kind === 'excluded') return 'declined';
  if (r.kind === 'error') return httpError(r.status, r.logMessage);
  if (r.warning) requestErrorLog(st).log('warn', 'proxy', r.warning, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
  if (r.newUri !== undefined) ctx.uri = r.newUri;
  ctx.filename = `proxy:${r.url}`;
  ctx.handler = 'proxy-server';
  if (r.nocanon) ctx.notes.set('proxy-nocanon', '1');
  if (r.noencode) ctx.notes.set('proxy-noencode', '1');
  if (r.noquery) ctx.notes.set('proxy-noquery', '1');
  ctx.data.set(REQ, { rule: r.rule, nocanon: r.nocanon, noencode: r.noencode } satisfies ProxyRequest);
  return 'ok';
}

function mapToStorage(m: ModuleDef, ctx: RequestContext): 'ok' | 'declined' {
  if (!ctx.filename?.startsWith('proxy:')) return 'declined';
  const st = requestState(ctx);
  if (!st) return 'declined';
  const sd = serverData(st.server, m);
  const url = ctx.filename.slice(6);
  const hits: CompiledSection[] = [];
  for (const sec of sd?.sections ?? []) {
    const g = sec.match(url);
    if (!g) continue;
    hits.push(sec);
    setMatchEnv(ctx.env, sec, g);
  }
  st.proxySections = hits;
  st.dir = walkDir(st.server, ctx.uri, hits, ctx.env);
  return 'ok';
}

/**
 * A proxy request another module set up (mod_rewrite's [P]: a `proxy:` filename and the
 * proxy-server handler, `proxy-nocanon` noted when the URL is to be sent as it is).
 */
function adoptProxyRequest(ctx: RequestContext): ProxyRequest | undefined {
  if (ctx.handler !== 'proxy-server' || !ctx.filename?.startsWith('proxy:')) return undefined;
  // A forward CONNECT (`proxy:host:port`) is mod_proxy_connect's, not a URL to canonicalise.
  if (ctx.method === 'CONNECT') return undefined;
  const pr: ProxyRequest = { rule: FORWARD_RULE, nocanon: ctx.notes.has('proxy-nocanon'), noencode: false };
  ctx.data.set(REQ, pr);
  return pr;
}

/**
 * `SetHandler "proxy:URL"` (httpd's proxy_handler, for a request no module made a proxy request
 * of): the URL followed by the request's file name (path info left out) is proxied,
 * canonicalised as the fixups canonicalise a proxy request. With an http: URL the backend
 * thus gets the file's path under the DocumentRoot, as from httpd.
 */
function setHandlerProxy(m: ModuleDef, compiled: CompiledConfig, ctx: RequestContext): ReturnType<typeof httpError> | 'declined' {
  if (ctx.handler !== undefined || ctx.filename === undefined || ctx.filename.startsWith('proxy:')) return 'declined';
  const st = requestState(ctx);
  const configured = st ? coreDir(st.dir).handler : undefined;
  if (configured === undefined || !configured.startsWith('proxy:')) return 'declined';
  ctx.filename = `${configured}${ctx.filename}`;
  ctx.handler = 'proxy-server';
  const r = fixups(m, compiled, ctx);
  return typeof r === 'string' ? 'declined' : r;
}

function fixups(m: ModuleDef, compiled: CompiledConfig, ctx: RequestContext): ReturnType<typeof httpError> | 'ok' | 'declined' {
  const pr = (ctx.data.get(REQ) as ProxyRequest | undefined) ?? adoptProxyRequest(ctx);
  if (!pr || !ctx.filename?.startsWith('proxy:')) return 'declined';
  const global = compiled.data.get(m) as ProxyGlobal;
  const url = ctx.filename.slice(6);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  const httpLike = scheme === 'http' || scheme === 'https' || scheme === 'ws' || scheme === 'wss';
  const copts: CanonOptions = { nocanon: pr.nocanon, noencode: pr.noencode, args: ctx.args, allowEncodedSlashes: ctx.core.allowEncodedSlashes };
  const own = scheme !== undefined ? global.schemes.get(scheme) : undefined;
  const c = own ? own.canon(url, copts) : httpLike && global.http ? canonHttpUrl(url, copts) : null;
  if (!c) {
    if (!url.includes(':')) return httpError(400, `AH01138: URI cannot be parsed: ${url}`);
    return httpError(
      500,
      `AH01144: No protocol handler was valid for the URL ${ctx.uri} (scheme '${scheme ?? ''}'). If you are using a DSO version of mod_proxy, make sure the proxy submodules are included in the configuration using LoadModule.`,
    );
  }
  if (!c.ok) return c.error;
  pr.target = c.value;
  ctx.filename = `proxy:${c.value.url}`;
  return 'ok';
}

/**
 * The ReverseRules of per-dir configs whose entries need no per-request work (no
 * ProxyPassInterpolateEnv, no balancer whose members may change), with the server config they
 * were made for.
 */
const fixedReverse = new WeakMap<ProxyDirConfig, { conf: ProxyServerConfig | undefined; rules: ReverseRules }>();

/** ProxyPassReverse* entries of the merged per-dir config, `interpolate` ones expanded. */
function reverseRules(dir: ProxyDirConfig, env: ReadonlyMap<string, string>, conf?: ProxyServerConfig): ReverseRules {
  const fixed = fixedReverse.get(dir);
  if (fixed !== undefined && fixed.conf === conf) return fixed.rules;
  const rules = makeReverseRules(dir, env, conf);
  if (dir.interpolateEnv !== true && !rules.aliases.some((a) => a.members !== undefined)) fixedReverse.set(dir, { conf, rules });
  return rules;
}

function makeReverseRules(dir: ProxyDirConfig, env: ReadonlyMap<string, string>, conf?: ProxyServerConfig): ReverseRules {
  const on = dir.interpolateEnv === true;
  const v = (s: string, i: boolean): string => (on && i ? interpolate(s, env) : s);
  return {
    aliases: dir.reverse.map((r) => {
      const alias = { path: v(r.path, r.interpolate), url: v(r.url, r.interpolate) };
      const b = conf && isBalancerUrl(alias.url) ? findBalancer(conf, alias.url) : undefined;
      return b ? { ...alias, members: b.members.map((w) => w.name) } : alias;
    }),
    cookiePaths: dir.cookiePaths.map((r) => ({ internal: v(r.path, r.interpolate), public: v(r.url, r.interpolate) })),
    cookieDomains: dir.cookieDomains.map((r) => ({ internal: v(r.path, r.interpolate), public: v(r.url, r.interpolate) })),
  };
}

/**
 * The handler: the exchange with the backend (through a scheme module such as the balancer's
 * when it owns the target). The answer is a promise once the request went to a backend.
 */
function handler(m: ModuleDef, compiled: CompiledConfig, ctx: RequestContext, via?: ProxyExchange): HandlerResult | Promise<HandlerResult> {
  const pr = ctx.data.get(REQ) as ProxyRequest | undefined;
  if (ctx.handler !== 'proxy-server' || !pr?.target) return 'declined';
  const st = requestState(ctx);
  if (!st) return 'declined';
  const global = compiled.data.get(m) as ProxyGlobal;
  const sd = serverData(st.server, m);
  const conf = sd?.conf ?? emptyConf();
  const own = via ? undefined : global.schemes.get(pr.target.netloc.scheme);
  if (own) return own.handle(ctx, pr.target, async (x) => handler(m, compiled, ctx, x));
  const target = via?.target ?? pr.target;
  const before = beforeBackend(ctx, st, conf, target);
  if (isPending(before)) return before.then((pre) => exchange(m, compiled, ctx, st, sd, conf, global, target, pre, via));
  return exchange(m, compiled, ctx, st, sd, conf, global, target, before, via);
}

/** The handler once the checks before the backend are done (ProxyRemote, ProxyBlock…). */
function exchange(
  m: ModuleDef,
  compiled: CompiledConfig,
  ctx: RequestContext,
  st: RequestState,
  sd: ProxyServerData | undefined,
  conf: ProxyServerConfig,
  global: ProxyGlobal,
  target: CanonUrl,
  pre: BeforeBackend,
  via: ProxyExchange | undefined,
): HandlerResult | Promise<HandlerResult> {
  if (pre.kind === 'result') return pre.result;
  const env = ctx.env;
  const worker = via ? via.worker : findWorker(conf.workers, target.url, 'both');
  const coreTimeoutUs = sd?.coreTimeoutUs ?? 60 * US;
  const ioUs = worker?.params.timeout ?? worker?.fromServer.timeout ?? conf.timeout ?? coreTimeoutUs;
  let pool: Dispatcher | undefined = via?.pool ?? (worker ? global.pools.get(worker) : undefined);
  let oneOff: Client | undefined;
  if (!pool) {
    const g = global.generic.poolFor(target.netloc);
    if (!g.ok) return g.error;
    pool = g.value;
    env.set('proxy-nokeepalive', '1');
  } else if (env.has('proxy-initial-not-pooled') && ctx.conn.keepAlives === 0 && worker) {
    // The first request of a client connection goes over a connection of its own.
    const origin = originOf(target.netloc);
    if (!origin.ok) return origin.error;
    const ws = workerSettings(worker, conf, coreTimeoutUs);
    const socketPath = worker.udsPath !== undefined ? { socketPath: worker.udsPath } : {};
    oneOff = new (undici().Client)(origin.value, {
      connect: { timeout: ws.connectTimeoutMs, ...socketPath },
      headersTimeout: ws.timeoutMs,
      bodyTimeout: ws.timeoutMs,
    });
    pool = oneOff;
  }
  const dir = proxyDir(st.dir);
  const force10 = env.has('force-proxy-request-1.0');
  const reuse = worker !== undefined && oneOff === undefined && !worker.params.disableReuse && !env.has('proxy-nokeepalive') && !force10;
  const codes = dir.errorOverrideCodes;
  const cd = coreDir(st.dir);
  const port = serverPort(ctx, st, cd.useCanonicalName, cd.useCanonicalPhysicalPort);
  const connectTimeoutMs = Math.max(1, Math.round((worker?.params.connectionTimeout ?? ioUs) / 1000));
  const timeoutMs = Math.max(1, Math.round(ioUs / 1000));
  // The input of the TLS/upgrade step is made only for a target or request that needs it.
  const special = hasTlsOrUpgrade(ctx, target, worker)
    ? tlsAndUpgrade({
        ctx, server: st.server, dir: st.dir, target, worker, preserveHost: dir.preserveHost === true, addHeaders: dir.addHeaders !== false, via: conf.via ?? 'off',
        viaComment: global.viaComment, serverPort: port, connectTimeoutMs, timeoutMs,
      })
    : null;
  const go = (): Promise<HandlerResult> => relay(ctx, st, conf, global, target, worker, pool, oneOff, pre, via, { dir, reuse, force10, codes, port, connectTimeoutMs, timeoutMs });
  if (special !== null) return special.then((r) => r || go());
  return go();
}

/** What exchange() worked out that relay() needs too. */
interface RelaySettings {
  dir: ProxyDirConfig;
  reuse: boolean;
  force10: boolean;
  codes: readonly number[];
  port: number;
  connectTimeoutMs: number;
  timeoutMs: number;
}

/** The ordinary exchange with the backend (forward()) and what its outcome means for the request. */
function relay(
  ctx: RequestContext,
  st: RequestState,
  conf: ProxyServerConfig,
  global: ProxyGlobal,
  target: CanonUrl,
  worker: WorkerDef | undefined,
  pool: Dispatcher,
  oneOff: Client | undefined,
  pre: Extract<BeforeBackend, { kind: 'continue' }>,
  via: ProxyExchange | undefined,
  { dir, reuse, force10, codes, port, connectTimeoutMs, timeoutMs }: RelaySettings,
): Promise<HandlerResult> {
  const env = ctx.env;
  const cd = coreDir(st.dir);
  const chunked = env.has('proxy-sendchunked') || env.has('proxy-sendchunks');
  const fo: ForwardOptions = {
    target,
    dispatcher: pool,
    reuse,
    timeoutMs,
    preserveHost: dir.preserveHost === true,
    addHeaders: dir.addHeaders !== false,
    via: conf.via ?? 'off',
    viaComment: global.viaComment,
    serverName: st.server.name,
    serverPort: port,
    maxForwards: conf.maxForwards ?? -1,
    clientIp: ctx.conn.peerIp,
    reverse: reverseRules(dir, env, conf),
    urlBase: {
      scheme: tlsSocketOf(ctx) ? 'https' : 'http',
      hostname: serverName(st, cd.useCanonicalName),
      port,
    },
    firstRequestOnConnection: ctx.conn.keepAlives === 0,
    sendContinue: ctx.sendContinue,
    connectTimeoutMs,
    requestBody: force10 || (env.has('proxy-sendcl') && !chunked) ? 'spool' : chunked ? 'chunked' : 'stream',
  };
  if (ctx.user !== undefined) fo.authenticatedUser = true;
  if (env.has('Proxy-Chain-Auth')) fo.chainAuth = true;
  if (dir.errorOverride) fo.errorOverride = (s: number) => s >= 400 && s < 600 && (codes.length === 0 || codes.includes(s));
  if (via?.keep) fo.keep = via.keep;
  if (via?.onHead) fo.onHead = via.onHead;
  Object.assign(fo, pre.options);
  if (force10) fo.http10 = true;
  if (dir.continue100 !== false) fo.expectToBackend = true;
  if (worker?.params.ping !== undefined) fo.pingMs = Math.max(1, Math.round(worker.params.ping / 1000));
  return forwardThen(ctx.req, ctx.res, fo, (out) => outcome(ctx, st, out, oneOff, via));
}

/** The handler's answer for the outcome of forward(). */
function outcome(ctx: RequestContext, st: RequestState, out: ForwardOutcome, oneOff: Client | undefined, via: ProxyExchange | undefined): HandlerResult {
  if (oneOff) void oneOff.close().catch(() => undefined);
  via?.report?.(out);
  const client = { ip: ctx.conn.peerIp, port: ctx.conn.peerPort };
  switch (out.kind) {
    case 'done':
      ctx.notes.set('proxy-status', String(out.status));
      return 'ok';
    case 'error':
      return out.error;
    case 'override': {
      ctx.notes.set('proxy-status', String(out.status));
      const e = httpError(out.status, `backend status ${out.status} replaced (ProxyErrorOverride)`);
      const auth = out.headers.find(([n]) => n.toLowerCase() === 'www-authenticate');
      return auth ? { ...e, headers: { 'WWW-Authenticate': auth[1] } } : e;
    }
    case 'aborted':
      if (!out.clientGone) requestErrorLog(st).log('error', 'proxy_http', out.logMessage, client);
      else requestErrorLog(st).log('info', 'proxy_http', out.logMessage, client);
      return 'done';
    case 'drop':
      requestErrorLog(st).log('error', 'proxy_http', out.logMessage, client);
      ctx.req.socket.destroy();
      return 'done';
    case 'local':
      return answerLocally(ctx);
  }
}

/**
 * `Max-Forwards: 0` on OPTIONS or TRACE: the request is answered here, as httpd's core does
 * (ap_send_http_options: the handler allowed no method, so Allow names only TRACE;
 * ap_send_http_trace: the request echoed as message/http).
 */
function answerLocally(ctx: RequestContext): 'ok' {
  const res = ctx.res;
  if (ctx.method === 'TRACE') {
    sendTraceEcho(ctx);
    return 'ok';
  }
  res.statusCode = 200;
  res.setHeader('Allow', 'TRACE');
  res.setHeader('Content-Length', 0);
  res.end();
  return 'ok';
}

export const proxyRuntime: RuntimeHooks = {
  compile,
  register(pipeline, compiled, m) {
    pipeline.register('translate', 'proxy:trans', (ctx) => translate(m, ctx));
    pipeline.register('map_to_storage', 'proxy:walk', (ctx) => mapToStorage(m, ctx));
    pipeline.register('fixups', 'proxy:canon', (ctx) => fixups(m, compiled, ctx));
    pipeline.register('handler', 'proxy:sethandler', (ctx) => setHandlerProxy(m, compiled, ctx));
    pipeline.register('handler', 'proxy:handler', (ctx) => handler(m, compiled, ctx));
  },
};

