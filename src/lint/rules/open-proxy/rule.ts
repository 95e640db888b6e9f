import type { ConfigNode, ConfigSection } from '../../../config/ast.js';
import type { Diagnostic } from '../../../util/diagnostics.js';
import { eachNode } from '../../nodes.js';
import type { LintRule } from '../../types.js';

/** Whether a `<Proxy>`/`<ProxyMatch>` pattern covers every forward-proxy request. */
function coversAll(section: ConfigSection): boolean {
  const name = section.name.toLowerCase();
  const pattern = (section.args[0] ?? '').replace(/^proxy:/i, '');
  if (name === 'proxy') return pattern === '*' || /^[a-z]+:\/?\/?\*$/i.test(pattern) || pattern === '';
  if (name === 'proxymatch') return ['.*', '^.*', '^.*$', '.', '^', ''].includes(pattern);
  return false;
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
  check(_state, tree) {
    const top: Scope = { nodes: tree.nodes };
    const scopes: Scope[] = [top];
    eachNode(tree.nodes, (n) => {
      if (n.kind === 'section' && n.name.toLowerCase() === 'virtualhost') scopes.push({ vhost: n, nodes: n.children });
    });
    const restrictedIn = (scope: Scope): boolean => {
      let ok = false;
      eachNode(scope.nodes, (n, parents) => {
        if (n.kind !== 'section' || !coversAll(n)) return;
        if (scope.vhost === undefined && parents.some((p) => p.name.toLowerCase() === 'virtualhost')) return;
        if (restricts(n.children)) ok = true;
      });
      return ok;
    };
    const mainRestricted = restrictedIn(top);
    const out: Diagnostic[] = [];
    for (const scope of scopes) {
      for (const n of scope.nodes) {
        if (n.kind !== 'directive' || n.name.toLowerCase() !== 'proxyrequests' || n.args[0]?.toLowerCase() !== 'on') continue;
        if (mainRestricted || (scope.vhost && restrictedIn(scope))) continue;
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
