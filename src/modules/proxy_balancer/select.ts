/**
 * A request to `balancer://…`: mod_proxy_balancer's pre_request (force recovery, sticky route,
 * lbmethod), mod_proxy's failover loop around the scheme handler (`proxy_handler`), and the
 * balancer's post_request (failonstatus, failontimeout).
 */
import type { HttpError } from '../../runtime/http-error.js';
import { httpError } from '../../runtime/http-error.js';
import type { RequestContext } from '../../runtime/server.js';
import type { ProxyExchange } from '../proxy/runtime.js';
import type { CanonUrl } from '../proxy/runtime/canon.js';
import type { BodyKeep, ForwardOutcome } from '../proxy/runtime/forward.js';
import type { LbMethod } from './lbmethod.js';
import { findSessionRoute } from './sticky.js';
import { isUsable, markError, retryMember, type BalancerState, type BalancerStore, type MemberState } from './state.js';

type HandlerResult = HttpError | 'ok' | 'declined' | 'done';

export interface BalancerContext {
  store: BalancerStore;
  methods: ReadonlyMap<string, LbMethod>;
  /** Logs a message of mod_proxy_balancer / mod_proxy for the request. */
  log(level: 'error' | 'debug' | 'warn', module: string, message: string): void;
}

/** force_recovery: when every member is in error (even after a retry) and forcerecovery is On, clear the errors. */
export function forceRecovery(b: BalancerState): void {
  for (const m of b.members) {
    if (!m.status.has('E')) return;
    retryMember(m);
    if (!m.status.has('E')) return;
  }
  if (!b.forceRecovery) return;
  for (const m of b.members) {
    m.retries++;
    m.status.delete('E');
  }
}

/** ap_proxy_sync_balancer's reset: the lbmethod's counters after a change in the manager. */
function syncBalancer(b: BalancerState, method: LbMethod | undefined): void {
  if (!b.needReset) return;
  method?.reset(b);
  b.needReset = false;
}

export interface Selection {
  member: MemberState;
  route?: string;
  sticky?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** find_best_worker: the lbmethod under the lock; none → wait up to the balancer's timeout. */
async function findBest(bc: BalancerContext, b: BalancerState): Promise<MemberState | undefined> {
  const pick = (): MemberState | undefined =>
    bc.store.lock(b, () => {
      const m = bc.methods.get(b.lbmethod)?.finder(b);
      if (m) m.elected++;
      return m;
    });
  let m = pick();
  if (m || b.timeout <= 0) return m;
  const step = Math.max(1, Math.floor(b.timeout / 100 / 1000));
  for (let waited = 0; waited < b.timeout / 1000 && !m; waited += step) {
    await sleep(step);
    m = pick();
  }
  return m;
}

/**
 * proxy_balancer_pre_request: the member for this request and the env variables httpd sets, or
 * the 503 httpd answers.
 */
export async function preRequest(bc: BalancerContext, b: BalancerState, ctx: RequestContext, url: string): Promise<Selection | HttpError> {
  const method = bc.methods.get(b.lbmethod);
  const session = bc.store.lock(b, () => {
    forceRecovery(b);
    syncBalancer(b, method);
    const s = findSessionRoute(b, url, headerValue(ctx, 'cookie'));
    if (s.member) {
      // The lbmethods have no updatelbstatus: the default keeps the weights fair.
      let total = 0;
      for (const w of b.members) {
        if (!isUsable(w)) continue;
        w.lbstatus += w.lbfactor;
        total += w.lbfactor;
      }
      s.member.lbstatus -= total;
      s.member.elected++;
    }
    return s;
  });
  if (session.changed) ctx.env.set('BALANCER_ROUTE_CHANGED', '1');
  let member = session.member;
  if (!member && session.route !== undefined && b.stickyForce && b.members.some((w) => w.route !== '' && w.route === session.route)) {
    return httpError(503, `AH01167: ${b.name}: All workers are in error state for route (${session.route})`);
  }
  if (!member) {
    member = await findBest(bc, b);
    if (!member) {
      return httpError(503, b.members.length ? `AH01170: ${b.name}: All workers are in error state` : `AH01171: ${b.name}: No workers in balancer`);
    }
    if (b.sticky !== '') ctx.env.set('BALANCER_ROUTE_CHANGED', '1');
  }
  member.busy++;
  const chosen = member;
  ctx.res.once('close', () => {
    if (chosen.busy > 0) chosen.busy--;
  });
  ctx.env.set('BALANCER_NAME', b.name);
  ctx.env.set('BALANCER_WORKER_NAME', member.name);
  ctx.env.set('BALANCER_WORKER_ROUTE', member.route);
  if (session.route !== undefined && session.sticky !== undefined) {
    ctx.notes.set('session-sticky', session.sticky);
    ctx.notes.set('session-route', session.route);
    ctx.env.set('BALANCER_SESSION_STICKY', session.sticky);
    ctx.env.set('BALANCER_SESSION_ROUTE', session.route);
  }
  return { member, ...(session.route !== undefined ? { route: session.route } : {}), ...(session.sticky !== undefined ? { sticky: session.sticky } : {}) };
}

function headerValue(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** rewrite_url: `balancer://name/path?q` → the member's name followed by `/path?q`. */
export function memberTarget(member: MemberState, target: CanonUrl): CanonUrl {
  const def = member.def;
  return {
    url: member.name + target.pathAndQuery,
    netloc: { scheme: def.scheme, host: def.hostname, port: def.port, explicitPort: true },
    pathAndQuery: def.path + target.pathAndQuery,
  };
}

/** The request body's declared length (what was sent to the member after it). */
function requestBodyBytes(ctx: RequestContext): number {
  const cl = Number(ctx.req.headers['content-length'] ?? 0);
  return Number.isFinite(cl) ? cl : 0;
}

/** What the exchange decided, for the failover loop (httpd's access_status). */
function accessStatus(out: ForwardOutcome | undefined, result: HandlerResult): number {
  if (typeof result === 'object') return result.status;
  if (out?.kind === 'error') return out.error.status;
  return 0;
}

/**
 * proxy_balancer_post_request: a response status listed in failonstatus, or a read timeout with
 * failontimeout, puts the member in error state (the response still goes to the client).
 */
function postRequest(bc: BalancerContext, b: BalancerState, m: MemberState, out: ForwardOutcome | undefined): void {
  if (!out || m.status.has('I')) return;
  const status = out.kind === 'done' || out.kind === 'override' || out.kind === 'aborted' ? out.status : out.kind === 'error' ? out.error.status : 0;
  if (b.failOnStatus.includes(status)) {
    bc.log('error', 'proxy_balancer', `AH01174: ${b.name}: Forcing worker (${m.def.displayName}) into error state due to status code ${status} matching 'failonstatus' balancer parameter`);
    markError(m);
    return;
  }
  if (b.failOnTimeout && out.kind === 'error' && /\(timeout\)/.test(out.error.logMessage)) {
    bc.log('error', 'proxy_balancer', `AH02460: ${b.name}: Forcing worker (${m.def.displayName}) into error state due to timeout and 'failontimeout' parameter being set`);
    markError(m);
  }
}

/**
 * mod_proxy's `proxy_handler` loop for a balancer: pick a member, exchange, and on a 503 from
 * the member (connect failure) put it in error state and try again, up to maxattempts times.
 * A 500 puts the member in error state without a retry; other statuses are returned as they are.
 */
export async function handleBalanced(
  bc: BalancerContext,
  b: BalancerState,
  ctx: RequestContext,
  target: CanonUrl,
  pools: (m: MemberState) => ProxyExchange['pool'] | undefined,
  exchange: (x: ProxyExchange) => Promise<HandlerResult>,
): Promise<HandlerResult> {
  const maxAttempts = b.maxAttemptsSet ? b.maxAttempts : 0;
  const keep: BodyKeep = { head: [], ended: false };
  let attempts = 0;
  for (;;) {
    const sel = await preRequest(bc, b, ctx, target.url);
    if ('status' in sel) return sel;
    const m = sel.member;
    const pool = pools(m);
    if (!pool) return httpError(500, `AH00898: no connection pool for ${m.name}`);
    const mt = memberTarget(m, target);
    let out: ForwardOutcome | undefined;
    let head = 0;
    const result = await exchange({ target: mt, worker: m.def, pool, keep, report: (o) => (out = o), onHead: (n) => (head = n) });
    bc.store.lock(b, () => {
      // httpd counts the request head and body sent, and the status line and body read.
      if (out && out.kind !== 'error') m.transferred += head + requestBodyBytes(ctx);
      if (out && (out.kind === 'done' || out.kind === 'aborted')) m.read += `HTTP/1.1 ${out.status} ${ctx.res.statusMessage}`.length + out.bytesSent;
      postRequest(bc, b, m, out);
    });
    const status = accessStatus(out, result);
    if (status === 0 || out?.kind === 'override') return result;
    if (status === 500 || status === 503) {
      if (!m.status.has('I')) {
        if (status === 503 && isUsable(m)) {
          bc.log('error', 'proxy', `AH00959: ap_proxy_connect_backend disabling worker for (${m.def.hostname}:${m.def.port}) for ${Math.floor(m.retry / 1_000_000)}s`);
        }
        markError(m);
      }
      if (status === 500) return result;
    } else {
      return result;
    }
    if (isUsable(m) || !(maxAttempts > attempts++)) return result;
    // The failed attempt is logged as httpd logs it; the next member is tried.
    if (typeof result === 'object') bc.log('error', 'proxy_http', result.logMessage);
  }
}
