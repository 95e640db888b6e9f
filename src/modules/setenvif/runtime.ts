/**
 * mod_setenvif at run time (match_headers): the server-level rules run in post_read, before
 * ProxyPass matching (so `no-proxy` and the proxy-* variables work); the rules of matching
 * sections run after the per-directory walk (httpd's header_parser), at the start of access.
 */
import type { RuntimeHooks } from '../../runtime/compile/types.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { evalCondition, newEvalState } from '../../expr/index.js';
import { requestExprContext } from '../authz_core/expr-context.js';
import { regSub } from '../proxy/runtime/match.js';
import type { SetEnvIfDirConfig, SetEnvIfRule } from './directives.js';

function special(ctx: RequestContext, name: string): string {
  switch (name) {
    case 'remote_host':
    case 'remote_addr':
      return ctx.conn.peerIp;
    case 'server_addr':
      return ctx.conn.localIp;
    case 'request_method':
      return ctx.method;
    case 'request_protocol':
      return ctx.protocol;
    default: {
      // request_uri: r->uri (before post_read it is the raw path).
      if (ctx.uri) return ctx.uri;
      const u = ctx.req.url ?? '';
      const q = u.indexOf('?');
      return q >= 0 ? u.slice(0, q) : u;
    }
  }
}

/** The values a rule's attribute stands for in this request. */
function values(ctx: RequestContext, rule: SetEnvIfRule): string[] {
  if (rule.special) return [special(ctx, rule.special)];
  const raw = ctx.req.rawHeaders;
  if (rule.attributeRegex) {
    const re = rule.attributeRegex;
    const out: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      re.lastIndex = 0;
      if (re.test(raw[i])) out.push(raw[i + 1]);
    }
    return out;
  }
  const lower = (rule.attribute ?? '').toLowerCase();
  const hs: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === lower) hs.push(raw[i + 1]);
  if (hs.length) return [hs.join(', ')];
  // Not a header: an environment variable set by an earlier rule.
  const env = ctx.env.get(rule.attribute ?? '');
  return env !== undefined ? [env] : [];
}

/** The rules from index `from` on, in order. */
function applyRules(ctx: RequestContext, rules: readonly SetEnvIfRule[], from = 0): void {
  for (let i = from; i < rules.length; i++) {
    const rule = rules[i];
    if (!rule.regex) {
      // SetEnvIfExpr: the expression decides; `$n` in values come from its last regex match.
      if (!rule.parsed) continue;
      const state = newEvalState();
      if (!evalCondition(rule.parsed, requestExprContext(ctx, requestState(ctx)), state)) continue;
      for (const { name, value } of rule.vars) {
        if (value === null) ctx.env.delete(name);
        else ctx.env.set(name, value.includes('$') && state.captures ? regSub(value, state.captures.match) : value);
      }
      continue;
    }
    for (const v of values(ctx, rule)) {
      rule.regex.lastIndex = 0;
      const m = rule.regex.exec(v);
      if (!m) continue;
      for (const { name, value } of rule.vars) {
        if (value === null) ctx.env.delete(name);
        else ctx.env.set(name, value.includes('$') ? regSub(value, m) : value);
      }
      break;
    }
  }
}

export const setenvifRuntime: RuntimeHooks = {
  register(pipeline, _compiled, m) {
    pipeline.register('post_read', 'setenvif:post_read', (ctx) => {
      const st = requestState(ctx);
      const conf = st?.server.dirDefaults.get(m) as SetEnvIfDirConfig | undefined;
      if (conf) applyRules(ctx, conf.rules);
      return 'declined';
    });
    pipeline.register('access', 'setenvif:header_parser', (ctx) => {
      const st = requestState(ctx);
      if (!st) return 'ok';
      const all = (st.dir.get(m) as SetEnvIfDirConfig | undefined)?.rules ?? [];
      const base = (st.server.dirDefaults.get(m) as SetEnvIfDirConfig | undefined)?.rules.length ?? 0;
      if (all.length > base) applyRules(ctx, all, base);
      return 'ok';
    });
  },
};
