/**
 * The rewriting engine (apply_rewrite_list, apply_rewrite_rule, apply_rewrite_cond): rules in
 * order with their conditions, chains, skips, [N] rounds, and what each rule leaves in
 * `filename`/`args` — the query split out ([QSA], [QSD], [QSL]), the per-directory prefix
 * added back, `proxy:` for [P], a fully qualified URL for [R], the server's own URL reduced.
 */
import { promises as fsp } from 'node:fs';
import { evalCondition, newEvalState } from '../../expr/index.js';
import { requestState } from '../../runtime/request.js';
import { requestExprContext } from '../authz_core/expr-context.js';
import { coreServer } from '../core/config.js';
import { escapePath, fsPath, isSubRequest, lookupUri } from '../core/static/index.js';
import type { RewriteCond, RewriteRule } from './config.js';
import { expand, type Backrefs, type ExpandContext } from './expand.js';
import { serverNameAndPort } from './vars.js';

/** What a rule set did: nothing, a rewrite (escaped or [NE]), or an answer status (F, G, R=4xx…). */
export type ListResult = 'none' | 'normal' | 'noescape' | 'status';

/** The engine's working record for one rule-set run (httpd's rewrite_ctx plus r->filename etc.). */
export interface Engine extends ExpandContext {
  /** `r->filename` as the rules change it. */
  filename: string;
  args: string | null;
  pathInfo: string;
  /** The status a rule forced ([R], [F], [G], R=code). */
  status: number;
  perdir?: string;
  /** Header names of conditions for the response's Vary. */
  vary: string[];
  /** [T=] and [H=] remembered for the type checker. */
  forcedType?: string;
  forcedHandler?: string;
  /** [E=] and [CO=] results are applied to the request directly; cookies are collected here. */
  cookies: string[];
  /** Set by reduce_uri when a URL on this server was reduced to its path. */
  uriReduced: boolean;
  /** [END] was used. */
  end: boolean;
  /** Subject the rule matched against (for logs). */
  uri: string;
  limitRequestLine: number;
}

const SCHEMES: [string, boolean][] = [
  ['ajp://', true], ['balancer://', true], ['ftp://', false], ['fcgi://', true], ['gopher://', false], ['http://', true],
  ['https://', true], ['h2://', true], ['h2c://', true], ['ldap://', false], ['mailto:', true], ['news:', false],
  ['nntp://', false], ['scgi://', true], ['ws://', true], ['wss://', true],
];

/** is_absolute_uri: the length of the scheme part (0 when not absolute) and whether it takes a query. */
export function absoluteUri(uri: string): { len: number; qs: boolean } {
  if (uri.startsWith('/') || uri.length <= 5) return { len: 0, qs: false };
  const lower = uri.slice(0, 12).toLowerCase();
  for (const [s, qs] of SCHEMES) if (lower.startsWith(s)) return { len: s.length, qs };
  return { len: 0, qs: false };
}

/** escape_absolute_uri: the path part after the host escaped as ap_escape_uri does. */
export function escapeAbsoluteUri(uri: string, schemeLen: number): string {
  let cp = schemeLen;
  if (uri[cp - 1] === '/') {
    while (cp < uri.length && uri[cp] !== '/') cp++;
    if (cp >= uri.length || cp + 1 >= uri.length) return uri;
    cp++;
  }
  return uri.slice(0, cp) + escapePath(uri.slice(cp));
}

function compareLex(a: string, b: string): number {
  if (a.length !== b.length) return a.length > b.length ? 1 : -1;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a.charCodeAt(i) > b.charCodeAt(i) ? 1 : -1;
  return 0;
}

function cmpNoCase(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** C's atoi: leading blanks, a sign, digits; 0 when there are none. */
function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? parseInt(m[1], 10) : 0;
}

async function stat(p: string, link = false) {
  try {
    return link ? await fsp.lstat(fsPath(p)) : await fsp.stat(fsPath(p));
  } catch {
    return null;
  }
}

async function applyCond(c: RewriteCond, e: Engine): Promise<boolean> {
  let rc = false;
  if (c.type === 'expr') {
    const state = newEvalState();
    rc = c.expr ? evalCondition(c.expr.tree, requestExprContext(e.ctx, requestState(e.ctx)), state) : false;
    for (const h of state.vary) e.varyThis.push(h);
    if (rc && !c.negate && state.captures) e.briRC = state.captures.match;
    return c.negate ? !rc : rc;
  }
  const input = expand(c.input, e);
  switch (c.type) {
    case 'file': rc = (await stat(input))?.isFile() === true; break;
    case 'size': { const s = await stat(input); rc = s?.isFile() === true && s.size > 0; break; }
    case 'link': rc = (await stat(input, true))?.isSymbolicLink() === true; break;
    case 'dir': rc = (await stat(input))?.isDirectory() === true; break;
    case 'exec': rc = ((await stat(input))?.mode ?? 0) % 0o1000 & 0o111 ? true : false; break;
    case 'url-lookup':
    case 'file-lookup':
      if (input !== '') {
        const sub = await lookupUri(e.compiled, e.ctx, input);
        rc = c.type === 'url-lookup' ? sub.status < 400 : sub.status < 300 && sub.ctx.filename !== undefined && (await stat(sub.ctx.filename)) !== null;
      }
      break;
    case 'str-lt': rc = (c.nocase ? cmpNoCase(input, c.pattern) : compareLex(input, c.pattern)) <= -1; break;
    case 'str-le': rc = (c.nocase ? cmpNoCase(input, c.pattern) : compareLex(input, c.pattern)) <= 0; break;
    case 'str-gt': rc = (c.nocase ? cmpNoCase(input, c.pattern) : compareLex(input, c.pattern)) >= 1; break;
    case 'str-ge': rc = (c.nocase ? cmpNoCase(input, c.pattern) : compareLex(input, c.pattern)) >= 0; break;
    case 'str-eq': rc = c.nocase ? input.toLowerCase() === c.pattern.toLowerCase() : input === c.pattern; break;
    case 'int-lt': rc = atoi(input) < atoi(c.pattern); break;
    case 'int-le': rc = atoi(input) <= atoi(c.pattern); break;
    case 'int-gt': rc = atoi(input) > atoi(c.pattern); break;
    case 'int-ge': rc = atoi(input) >= atoi(c.pattern); break;
    case 'int-eq': rc = atoi(input) === atoi(c.pattern); break;
    default: {
      const re = c.regex;
      if (re) {
        re.lastIndex = 0;
        const m = re.exec(input);
        rc = m !== null;
        if (m && !c.negate) e.briRC = m;
      }
    }
  }
  return c.negate ? !rc : rc;
}

/** splitout_queryargs. */
function splitQuery(e: Engine, rule: RewriteRule): void {
  const abs = absoluteUri(e.filename);
  if (abs.len && !abs.qs) {
    e.args = null;
    return;
  }
  const f = rule.flags;
  if (f.qsDiscard) e.args = null;
  // The configuration keeps a trailing `?` of the substitution as `qsNone`.
  let subject = e.filename;
  if (rule.qsNone && !f.qsDiscard) subject += '?';
  const q = f.qsLast ? subject.lastIndexOf('?') : subject.indexOf('?');
  if (q < 0) return;
  const query = subject.slice(q + 1);
  e.filename = subject.slice(0, q);
  if (f.qsAppend) {
    if (query !== '') e.args = e.args !== null ? `${query}&${e.args}` : `${query}&`;
  } else e.args = query;
  if (e.args !== null) {
    if (e.args === '') e.args = null;
    else if (e.args.endsWith('&')) e.args = e.args.slice(0, -1);
  }
}

/** fully_qualify_uri. */
function fullyQualify(e: Engine): void {
  if (e.ctx.method === 'CONNECT' || absoluteUri(e.filename).len) return;
  const s = serverNameAndPort(e.ctx);
  const port = s.port === s.defaultPort ? '' : `:${s.port}`;
  e.filename = `${s.scheme}://${s.name}${port}${e.filename.startsWith('/') ? '' : '/'}${e.filename}`;
}

/** reduce_uri: `http[s]://this-server[:port]/path` back to `/path`. */
function reduceUri(e: Engine): void {
  const s = serverNameAndPort(e.ctx);
  const prefix = `${s.scheme}://`;
  if (e.filename.length <= prefix.length || e.filename.slice(0, prefix.length).toLowerCase() !== prefix) return;
  const rest = e.filename.slice(prefix.length);
  const m = /^([^/:]*)(?::([^/]*))?(\/.*)?$/s.exec(rest);
  if (!m) return;
  const host = m[1];
  const port = m[2] !== undefined ? parseInt(m[2], 10) || 0 : s.defaultPort;
  const url = m[3] ?? '/';
  const st = requestState(e.ctx);
  // ap_matches_request_vhost: the server's own names, not whatever Host the client sent.
  const names = st ? [st.server.name, ...coreServer(st.server.rec).aliases].map((x) => x.toLowerCase()) : [];
  if (!names.includes(host.toLowerCase()) || port !== s.port) return;
  e.filename = url === '' ? '/' : url;
  e.uriReduced = true;
}

/** apply_rewrite_rule: 0 no match, 1 rewritten, 2 matched without substitution. */
async function applyRule(rule: RewriteRule, e: Engine): Promise<0 | 1 | 2> {
  let uri = e.filename;
  let isProxy = false;
  if (e.perdir !== undefined) {
    isProxy = e.filename.startsWith('proxy:');
    if (e.pathInfo) uri += e.pathInfo;
    if (!isProxy && uri.length >= e.perdir.length && uri.startsWith(e.perdir)) uri = uri.slice(e.perdir.length);
  }
  e.uri = uri;
  rule.regex.lastIndex = 0;
  const m = rule.regex.exec(uri);
  if ((m !== null) === rule.negate) return 0;
  e.varyThis = [];
  e.briRC = null;
  e.briRR = rule.negate ? null : m;
  const conds = rule.conds;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i];
    const rc = await applyCond(c, e);
    if (c.novary) e.varyThis = [];
    if (c.ornext) {
      if (!rc) {
        e.varyThis = [];
        continue;
      }
      while (i < conds.length && conds[i].ornext) i++;
    } else if (!rc) return 0;
    if (e.varyThis.length) {
      e.vary.push(...e.varyThis);
      e.varyThis = [];
    }
  }
  const f = rule.flags;
  const newUri = rule.noSub || f.statusOnly ? undefined : expand(rule.substitution, e, f);
  for (const item of f.env) {
    const name = expand(item, e);
    if (name.startsWith('!')) e.ctx.env.delete(name.slice(1));
    else {
      const colon = name.indexOf(':');
      e.ctx.env.set(colon >= 0 ? name.slice(0, colon) : name, colon >= 0 ? name.slice(colon + 1) : '');
    }
  }
  for (const co of f.cookies) e.cookies.push(expand(co, e));
  if (newUri === undefined) {
    forceTypeHandler(rule, e);
    if (f.statusOnly) e.status = f.status;
    return 2;
  }
  e.filename = newUri;
  if (e.perdir !== undefined && f.discardPathInfo) e.pathInfo = '';
  splitQuery(e, rule);
  if (e.perdir !== undefined && !isProxy && !e.filename.startsWith('/') && !absoluteUri(e.filename).len) e.filename = e.perdir + e.filename;
  if (f.proxy) {
    if (e.perdir !== undefined && !f.noEscape) e.filename = escapePath(e.filename);
    fullyQualify(e);
    e.filename = `proxy:${e.filename}`;
    return 1;
  }
  if (f.redirect) {
    fullyQualify(e);
    e.status = f.status;
    return 1;
  }
  reduceUri(e);
  if (absoluteUri(e.filename).len) {
    e.status = f.status;
    return 1;
  }
  forceTypeHandler(rule, e);
  return 1;
}

function forceTypeHandler(rule: RewriteRule, e: Engine): void {
  if (rule.flags.type !== undefined) {
    const t = expand(rule.flags.type, e, rule.flags);
    if (t) e.forcedType = t.toLowerCase();
  }
  if (rule.flags.handler !== undefined) {
    const h = expand(rule.flags.handler, e, rule.flags);
    if (h) e.forcedHandler = h.toLowerCase();
  }
}

/** apply_rewrite_list. */
export async function applyList(rules: readonly RewriteRule[], e: Engine): Promise<ListResult> {
  let changed: ListResult = 'none';
  let round = 1;
  loop: for (;;) {
    for (let i = 0; i < rules.length; i++) {
      let p = rules[i];
      if (isSubRequest(e.ctx) && (p.flags.noSubreq || p.flags.redirect)) continue;
      e.vary = [];
      const rc = await applyRule(p, e);
      if (rc) {
        if (e.filename.length > 2 * e.limitRequestLine) {
          e.status = 500;
          return 'status';
        }
        if (e.vary.length) {
          const have = e.ctx.res.getHeader('Vary');
          e.ctx.res.setHeader('Vary', have ? `${String(have)}, ${e.vary.join(', ')}` : e.vary.join(', '));
        }
        if (p.flags.statusOnly) return 'status';
        if (rc !== 2) changed = p.flags.noEscape ? 'noescape' : 'normal';
        if (p.flags.passThrough) {
          e.filename = `passthrough:${e.filename}`;
          changed = 'normal';
          break loop;
        }
        if (p.flags.end) {
          e.end = true;
          break loop;
        }
        if (p.flags.proxy || p.flags.last) break loop;
        if (p.flags.next) {
          if (++round >= p.flags.maxRounds) {
            e.status = 500;
            return 'status';
          }
          continue loop;
        }
        if (p.flags.skip > 0) i = Math.min(rules.length, i + p.flags.skip);
      } else {
        while (i < rules.length && p.flags.chain) {
          i++;
          p = rules[i] ?? p;
          if (i >= rules.length) break;
        }
      }
    }
    break;
  }
  return changed;
}
