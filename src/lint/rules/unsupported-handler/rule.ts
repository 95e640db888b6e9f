import type { Diagnostic } from '../../../util/diagnostics.js';
import { eachNode } from '../../nodes.js';
import type { LintRule } from '../../types.js';

/** httpd's module for the handlers configs commonly name (what the message points to). */
const MODULES: Record<string, string> = {
  'server-status': 'mod_status',
  'server-info': 'mod_info',
  'cgi-script': 'mod_cgi',
  'ldap-status': 'mod_ldap',
  'type-map': 'mod_negotiation',
  'imap-file': 'mod_imagemap',
  'send-as-is': 'mod_asis',
  'lua-script': 'mod_lua',
  'perl-script': 'mod_perl',
  'application/x-httpd-php': 'PHP',
};

/**
 * SetHandler takes a request away from the default handler. featherd has the proxy's handlers
 * (`proxy:…`), `balancer-manager` and `none`; any other handler name (server-status, cgi-script,
 * a PHP handler…) is accepted, as httpd accepts it, but no featherd module answers for it.
 */
export const unsupportedHandler: LintRule = {
  id: 'unsupported-handler',
  description: 'SetHandler names a handler featherd does not have (server-status, cgi-script, …)',
  check(_state, tree) {
    const out: Diagnostic[] = [];
    const balancerManager = tree.loadedModules.includes('proxy_balancer_module');
    eachNode(tree.nodes, (node) => {
      if (node.kind !== 'directive' || node.name.length !== 10 || node.name.toLowerCase() !== 'sethandler') return;
      const handler = node.args[0] ?? '';
      const lower = handler.toLowerCase();
      if (lower === 'none' || lower.startsWith('proxy:') || (lower === 'balancer-manager' && balancerManager)) return;
      const mod = MODULES[lower];
      out.push({
        severity: 'warning',
        rule: 'unsupported-handler',
        message: `featherd has no '${handler}' handler${mod ? ` (httpd's ${mod})` : ''}: requests here are not answered by it`,
        loc: node.loc,
      });
    });
    return out;
  },
};
