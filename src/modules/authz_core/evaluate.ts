/**
 * mod_authz_core's apply_authz_sections and the providers it calls (all, env, method, expr,
 * ip, host, forward-dns, local, valid-user, user; mod_ssl's ssl and ssl-verify-client), on a
 * request being served.
 */
import dns from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import type { ConfigSet } from '../../directives/types.js';
import { authzGroupfileConfig } from '../authz_groupfile/module.js';
import net from 'node:net';
import { evalCondition, evalString, newEvalState } from '../../expr/index.js';
import type { RequestContext } from '../../runtime/server.js';
import { ipInSubnet } from '../authz_host/ipsubnet.js';
import type { AuthzNode, AuthzRequire, AuthzSection } from './config.js';
import { tlsSocketOf } from '../ssl/vars.js';
import { limitApplies } from './limit.js';
import { allWords } from './words.js';
import type { ExprContext } from '../../expr/index.js';

export type AuthzStatus = 'denied' | 'granted' | 'neutral' | 'general-error' | 'denied-no-user';

/** What the providers need besides the request. */
export interface AuthzEnv {
  ctx: RequestContext;
  expr: ExprContext;
  /** The merged per-directory configuration (AuthGroupFile). */
  dir?: ConfigSet;
  /** Errors of the evaluation (the error log). */
  log(message: string): void;
}

const DNS_WAIT_MS = 3000;

function bounded<T>(p: Promise<T>, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(fallback), DNS_WAIT_MS);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      () => (clearTimeout(t), resolve(fallback)),
    );
  });
}

const HOST_KEY = Symbol('featherd.remoteHost');

/**
 * ap_get_useragent_host with REMOTE_DOUBLE_REV: the client's name by reverse lookup, kept only
 * if it resolves back to the client's address. Cached for the request.
 */
export async function doubleReverseHost(ctx: RequestContext): Promise<string | null> {
  if (ctx.data.has(HOST_KEY)) return ctx.data.get(HOST_KEY) as string | null;
  const ip = ctx.conn.peerIp.replace(/^::ffff:(?=\d+\.)/, '');
  let found: string | null = null;
  // getnameinfo, as httpd: /etc/hosts first, then DNS.
  const name = await bounded(dns.lookupService(ip, 0).then((r) => r.hostname), '');
  if (name && name !== ip) {
    const addrs = await bounded(dns.lookup(name, { all: true }), [] as { address: string }[]);
    if (addrs.some((a) => a.address.replace(/^::ffff:(?=\d+\.)/, '') === ip)) found = name;
  }
  ctx.data.set(HOST_KEY, found);
  return found;
}

/** mod_access_compat / mod_authz_host in_domain: `what` ends with `domain` at a label boundary. */
export function inDomain(domain: string, what: string): boolean {
  const dl = domain.length;
  const wl = what.length;
  if (wl < dl) return false;
  if (what.slice(wl - dl).toLowerCase() !== domain.toLowerCase()) return false;
  if (wl === dl) return true;
  return domain[0] === '.' || what[wl - dl - 1] === '.';
}

function isLocal(ctx: RequestContext): boolean {
  const ip = ctx.conn.peerIp.replace(/^::ffff:(?=\d+\.)/, '');
  if (ip === '::1' || /^127\./.test(ip)) return true;
  return ip === ctx.conn.localIp.replace(/^::ffff:(?=\d+\.)/, '');
}

/** True for a promise a provider, section or access step returned (the others answer at once). */
export function pending<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** `Require host`: the client's double-reverse name within one of the domains. */
async function hostCheck(tree: Parameters<typeof evalString>[0], env: AuthzEnv): Promise<AuthzStatus> {
  const name = await doubleReverseHost(env.ctx);
  if (!name || net.isIP(name)) return 'denied';
  const words = allWords(evalString(tree, env.expr)).filter((w) => w !== '');
  return words.some((w) => inDomain(w, name)) ? 'granted' : 'denied';
}

/** `Require forward-dns`: one of the names resolves to the client's address. */
async function forwardDnsCheck(tree: Parameters<typeof evalString>[0], env: AuthzEnv): Promise<AuthzStatus> {
  const words = allWords(evalString(tree, env.expr)).filter((w) => w !== '');
  const ip = env.ctx.conn.peerIp.replace(/^::ffff:(?=\d+\.)/, '');
  for (const w of words) {
    const addrs = await bounded(dns.lookup(w, { all: true }), [] as { address: string }[]);
    if (addrs.some((a) => a.address === ip)) return 'granted';
  }
  return 'denied';
}

/** One provider's answer: at once, or a promise for those that look names up or read files. */
function provider(node: AuthzRequire, env: AuthzEnv): AuthzStatus | Promise<AuthzStatus> {
  const ctx = env.ctx;
  const p = node.parsed;
  switch (p.provider) {
    case 'all':
      return p.granted ? 'granted' : 'denied';
    case 'env':
      return p.vars.some((v) => ctx.env.has(v)) ? 'granted' : 'denied';
    case 'method': {
      const m = ctx.method === 'HEAD' ? 'GET' : ctx.method;
      return p.methods.includes(m) ? 'granted' : 'denied';
    }
    case 'expr': {
      const state = newEvalState();
      const ok = evalCondition(p.expr.tree, env.expr, state);
      if (state.error !== undefined) {
        env.log(`AH02320: Error evaluating expression in 'Require expr': ${state.error}`);
        return 'general-error';
      }
      if (ok) return 'granted';
      return p.wantsUser ? 'denied-no-user' : 'denied';
    }
    case 'ip':
      return p.subnets.some((s) => ipInSubnet(s, ctx.conn.peerIp)) ? 'granted' : 'denied';
    case 'local':
      return isLocal(ctx) ? 'granted' : 'denied';
    case 'host':
      return hostCheck(p.expr.tree, env);
    case 'forward-dns':
      return forwardDnsCheck(p.expr.tree, env);
    case 'valid-user':
      return ctx.user === undefined ? 'denied-no-user' : 'granted';
    case 'user': {
      if (ctx.user === undefined) return 'denied-no-user';
      const words = allWords(evalString(p.expr.tree, env.expr)).filter((w) => w !== '');
      return words.includes(ctx.user) ? 'granted' : 'denied';
    }
    case 'group':
      return groupCheck(p.expr.tree, env);
    case 'file-group':
      if (ctx.user === undefined) return 'denied-no-user';
      env.log(`Require file-group is not evaluated by featherd`);
      return 'denied';
    case 'ssl':
      return tlsSocketOf(ctx) ? 'granted' : 'denied';
    case 'ssl-verify-client': {
      // ssl_authz_verify_client_check: a certificate was presented and verified.
      const s = tlsSocketOf(ctx);
      return s && s.authorized && s.getPeerX509Certificate() ? 'granted' : 'denied';
    }
    case 'alias':
      // authz_alias_check_authorization: the aliased provider with the alias's arguments.
      if (!p.target || p.target.parsed.provider === 'alias') return 'general-error';
      return provider({ ...node, provider: p.target.provider, parsed: p.target.parsed }, env);
  }
}

/** The groups `user` belongs to in an AuthGroupFile (`group: user user …` lines); null if unreadable. */
async function groupsOf(file: string, user: string): Promise<Set<string> | null> {
  let text: string;
  try {
    text = await readFile(file, 'latin1');
  } catch {
    return null;
  }
  const groups = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    if (allWords(line.slice(colon + 1)).includes(user)) groups.add(line.slice(0, colon));
  }
  return groups;
}

/** mod_authz_groupfile's group_check_authorization. */
async function groupCheck(tree: Parameters<typeof evalString>[0], env: AuthzEnv): Promise<AuthzStatus> {
  const user = env.ctx.user;
  if (user === undefined) return 'denied-no-user';
  const file = env.dir ? authzGroupfileConfig(env.dir)?.groupFile : undefined;
  if (!file) {
    env.log('AH01664: No group file was specified in the configuration');
    return 'denied';
  }
  const groups = await groupsOf(file, user);
  if (!groups) {
    env.log(`AH01665: Could not open group file: ${file}`);
    return 'general-error';
  }
  const wanted = allWords(evalString(tree, env.expr)).filter((w) => w !== '');
  if (wanted.some((g) => groups.has(g))) return 'granted';
  env.log(`AH01667: Authorization of user ${user} to access ${env.ctx.uri} failed, reason: user is not part of the 'require'ed group(s).`);
  return 'denied';
}

/**
 * apply_authz_sections: one node of the tree, under a parent combining with `parentOp`. The
 * answer comes at once unless a provider on the way had to wait (host, forward-dns, group).
 */
export function applyAuthz(node: AuthzNode, parentOp: 'and' | 'or', env: AuthzEnv): AuthzStatus | Promise<AuthzStatus> {
  if (!appliesTo(node, env.ctx.method)) return parentOp === 'and' ? 'granted' : 'neutral';
  const r = node.kind === 'require' ? provider(node, env) : applySection(node, env, 0, 'neutral');
  return pending(r) ? r.then((v) => afterNode(node, v)) : afterNode(node, r);
}

/**
 * Whether a node covers a request method (httpd's `limited` bits): a Require outside <Limit> and
 * <LimitExcept> covers all; a section covers what any of its children covers, so a section of
 * Requires that are all limited to other methods is passed over.
 */
function appliesTo(node: AuthzNode, method: string): boolean {
  if (node.kind === 'require') return limitApplies(node.limit, method);
  for (const child of node.children) if (appliesTo(child, method)) return true;
  return false;
}

/** A node's result with its `Require not` applied. */
function afterNode(node: AuthzNode, result: AuthzStatus): AuthzStatus {
  if (node.kind !== 'require' && result === 'general-error') return result;
  if (node.negate) {
    if (result === 'granted') return 'denied';
    if (result === 'denied' || result === 'denied-no-user') return 'neutral';
  }
  return result;
}

/** The children of a section from `from` on, `result` being what the earlier ones combined to. */
function applySection(section: AuthzSection, env: AuthzEnv, from: number, result: AuthzStatus): AuthzStatus | Promise<AuthzStatus> {
  const children = section.children;
  for (let i = from; i < children.length; i++) {
    const r = applyAuthz(children[i], section.op, env);
    if (pending(r)) {
      return r.then((v) => (decides(section.op, v) ? v : applySection(section, env, i + 1, fold(section.op, result, v))));
    }
    if (decides(section.op, r)) return r;
    result = fold(section.op, result, r);
  }
  return result;
}

/** True when a child's result is the section's answer whatever the others say. */
function decides(op: 'and' | 'or', r: AuthzStatus): boolean {
  return r === 'general-error' || (op === 'and' ? r === 'denied' : r === 'granted');
}

/** A child's result (one that does not decide) folded into what the earlier children combined to. */
function fold(op: 'and' | 'or', result: AuthzStatus, r: AuthzStatus): AuthzStatus {
  if (r === 'neutral') return result;
  if (op === 'and') return (r === 'denied-no-user' && result !== 'denied') || result === 'neutral' ? r : result;
  return (r === 'denied-no-user' && result === 'denied') || result === 'neutral' ? r : result;
}
