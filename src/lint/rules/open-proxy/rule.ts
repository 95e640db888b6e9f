import type { ConfigNode, ConfigSection } from '../../../config/ast.js';
import type { Diagnostic } from '../../../util/diagnostics.js';
import { eachNode } from '../../nodes.js';
import type { LintRule } from '../../types.js';

/**
 * Which forward-proxy requests a `<Proxy>`/`<ProxyMatch>` pattern covers: `all` (every URL and
 * every CONNECT `host:port`), one scheme's URLs (`http://*`), or none that matter here. The
 * pattern is matched against the request-target as the client sent it (proxy_walk).
 */
function coverage(section: ConfigSection): 'all' | string | null {
  const name = section.name.toLowerCase();
  const pattern = (section.args[0] ?? '').replace(/>$/, '').replace(/^proxy:/i, '');
  if (name === 'proxy') {
    if (pattern === '' || /^\*+$/.test(pattern)) return 'all';
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/?)?\*$/i.exec(pattern);
    return m ? m[1].toLowerCase() : null;
  }
  if (name === 'proxymatch') return ['.*', '^.*', '^.*$', '.', '^', ''].includes(pattern) ? 'all' : null;
  return null;
}

/** Whether a section body restricts access (a Require other than `all granted`, or Allow/Deny rules). */
function restricts(children: ConfigNode[]): boolean {
  let found = false;
  eachNode(children, (n) => {
    if (n.kind === 'section') {
      const s = n.name.toLowerCase();
      if (s === 'requireall' || s === 'requireany' || s === 'requirenone') found = true;
      return;
    }
    const d = n.name.toLowerCase();
    const args = n.args.map((a) => a.toLowerCase());
    if (d === 'require' && !(args[0] === 'all' && args[1] === 'granted')) found = true;
    if (d === 'deny') found = true;
    if (d === 'allow' && !(args[0] === 'from' && args[1] === 'all')) found = true;
  });
  return found;
}

/** `ProxyRequests On` (names compared by length first: most lines are something else). */
function isProxyRequestsOn(n: ConfigNode): boolean {
  return (
    n.kind === 'directive' &&
    n.name.length === 13 &&
    n.name.toLowerCase() === 'proxyrequests' &&
    n.args[0]?.toLowerCase() === 'on'
  );
}

interface Scope {
  /** The <VirtualHost> section, or undefined for the main server. */
  vhost?: ConfigSection;
  nodes: ConfigNode[];
}

/**
 * `ProxyRequests On` turns the server into a forward proxy for anyone who can reach it unless
 * access to proxied URLs is restricted, typically with a `<Proxy *>` section holding a Require.
 */
export const openProxy: LintRule = {
  id: 'open-proxy',
  description: 'ProxyRequests On without an access restriction on <Proxy *>',
  check(state, tree) {
    const top: Scope = { nodes: tree.nodes };
    const scopes: Scope[] = [top];
    for (const v of state.vhosts) if (v.section) scopes.push({ vhost: v.section, nodes: v.section.children });
    // The ProxyRequests On lines of each scope; most configurations have none, and then there is nothing to check.
    const lines = scopes.map((scope) => scope.nodes.filter(isProxyRequestsOn));
    if (lines.every((l) => l.length === 0)) return [];
    // Sections for single schemes cover every request only when nothing else can be proxied:
    // http and https, without CONNECT (mod_proxy_connect) or ftp (mod_proxy_ftp).
    const loaded = new Set(tree.loadedModules);
    const otherTargets = loaded.has('proxy_connect_module') || loaded.has('proxy_ftp_module');
    const restrictedIn = (scope: Scope): boolean => {
      let ok = false;
      const schemes = new Set<string>();
      eachNode(scope.nodes, (n, parents) => {
        if (n.kind !== 'section') return;
        const c = coverage(n);
        if (c === null) return;
        if (scope.vhost === undefined && parents.some((p) => p.name.toLowerCase() === 'virtualhost')) return;
        if (!restricts(n.children)) return;
        if (c === 'all') ok = true;
        else schemes.add(c);
      });
      return ok || (!otherTargets && schemes.has('http') && schemes.has('https'));
    };
    const mainRestricted = restrictedIn(top);
    const out: Diagnostic[] = [];
    for (let i = 0; i < scopes.length; i++) {
      const scope = scopes[i];
      if (lines[i].length === 0 || mainRestricted || (scope.vhost && restrictedIn(scope))) continue;
      for (const n of lines[i]) {
        out.push({
          severity: 'warning',
          rule: 'open-proxy',
          message:
            'ProxyRequests On makes this server a forward proxy for anyone who can reach it: restrict it with ' +
            '<Proxy "*"> Require ip … </Proxy> (or Require local)',
          loc: n.loc,
        });
      }
    }
    return out;
  },
};
