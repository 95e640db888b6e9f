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

async function provider(node: AuthzRequire, env: AuthzEnv): Promise<AuthzStatus> {
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
    case 'host': {
      const name = await doubleReverseHost(ctx);
      if (!name || net.isIP(name)) return 'denied';
      const words = allWords(evalString(p.expr.tree, env.expr)).filter((w) => w !== '');
      return words.some((w) => inDomain(w, name)) ? 'granted' : 'denied';
    }
    case 'forward-dns': {
      const words = allWords(evalString(p.expr.tree, env.expr)).filter((w) => w !== '');
      const ip = ctx.conn.peerIp.replace(/^::ffff:(?=\d+\.)/, '');
      for (const w of words) {
        const addrs = await bounded(dns.lookup(w, { all: true }), [] as { address: string }[]);
        if (addrs.some((a) => a.address === ip)) return 'granted';
      }
      return 'denied';
    }
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
export async function groupsOf(file: string, user: string): Promise<Set<string> | null> {
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

/** apply_authz_sections: one node of the tree, under a parent combining with `parentOp`. */
export async function applyAuthz(node: AuthzNode, parentOp: 'and' | 'or', env: AuthzEnv): Promise<AuthzStatus> {
  if (node.kind === 'require' && !limitApplies(node.limit, env.ctx.method)) {
    return parentOp === 'and' ? 'granted' : 'neutral';
  }
  let result: AuthzStatus;
  if (node.kind === 'require') {
    result = await provider(node, env);
  } else {
    result = await applySection(node, env);
    if (result === 'general-error') return result;
  }
  if (node.negate) {
    if (result === 'granted') result = 'denied';
    else if (result === 'denied' || result === 'denied-no-user') result = 'neutral';
  }
  return result;
}

async function applySection(section: AuthzSection, env: AuthzEnv): Promise<AuthzStatus> {
  let result: AuthzStatus = 'neutral';
  for (const child of section.children) {
    const r = await applyAuthz(child, section.op, env);
    if (r === 'general-error') return r;
    if (r === 'neutral') continue;
    if (section.op === 'and') {
      if (r === 'denied') return 'denied';
      if ((r === 'denied-no-user' && result !== 'denied') || result === 'neutral') result = r;
    } else {
      if (r === 'granted') return 'granted';
      if ((r === 'denied-no-user' && result === 'denied') || result === 'neutral') result = r;
    }
  }
  return result;
}
