/** mod_proxy's command table (proxy_cmds in mod_proxy.c), with httpd's names, shapes, contexts and help. */
import type { DirectiveEntry } from '../../directives/types.js';
import { ACCESS_CONF, RSRC_CONF } from '../../directives/types.js';
import * as dir from './dir.js';
import { balancerMemberHandler, proxySetHandler } from './member.js';
import { cookieDomainHandler, cookiePathHandler, proxyPassHandler, proxyPassMatchHandler, proxyPassReverseHandler } from './pass.js';
import { proxyMatchSectionHandler, proxySectionHandler } from './sections.js';
import * as srv from './server.js';

const S = RSRC_CONF;
const SD = RSRC_CONF | ACCESS_CONF;

export const proxyDirectives: DirectiveEntry[] = [
  {
    name: '<Proxy', args: 'RAW_ARGS', contexts: S, support: 'yes', handler: proxySectionHandler,
    help: 'Container for directives affecting resources located in the proxied location',
  },
  {
    name: '<ProxyMatch', args: 'RAW_ARGS', contexts: S, support: 'yes', handler: proxyMatchSectionHandler,
    help: 'Container for directives affecting resources located in the proxied location, in regular expression syntax',
  },
  {
    name: 'ProxyRequests', args: 'FLAG', contexts: S, support: 'yes', handler: srv.setProxyRequests,
    help: 'on if the true proxy requests should be accepted',
  },
  {
    name: 'ProxyRemote', args: 'TAKE23', contexts: S, support: 'yes', handler: srv.addProxyRemote,
    help: "a scheme, partial URL or '*' and a proxy server",
  },
  {
    name: 'ProxyRemoteMatch', args: 'TAKE23', contexts: S, support: 'yes', handler: srv.addProxyRemoteMatch,
    help: 'a regex pattern and a proxy server',
  },
  {
    name: 'ProxyPassInterpolateEnv', args: 'FLAG', contexts: SD, support: 'yes', handler: dir.setInterpolateEnv,
    help: 'Interpolate Env Vars in reverse Proxy',
  },
  {
    name: 'ProxyPass', args: 'RAW_ARGS', contexts: SD, support: 'partial', handler: proxyPassHandler,
    help: 'a virtual path and a URL',
    note: 'http, https, ws, wss and balancer:// targets are proxied; ajp, fcgi, scgi, uwsgi, h2, h2c and ftp targets are accepted but answer 500 (no protocol handler)',
  },
  {
    name: 'ProxyPassMatch', args: 'RAW_ARGS', contexts: SD, support: 'partial', handler: proxyPassMatchHandler,
    help: 'a virtual path and a URL',
    note: 'as ProxyPass; patterns are PCRE translated to JavaScript regular expressions',
  },
  {
    name: 'ProxyPassReverse', args: 'TAKE123', contexts: SD, support: 'yes', handler: proxyPassReverseHandler,
    help: 'a virtual path and a URL for reverse proxy behaviour',
  },
  {
    name: 'ProxyPassReverseCookiePath', args: 'TAKE23', contexts: SD, support: 'yes', handler: cookiePathHandler,
    help: 'Path rewrite rule for proxying cookies',
  },
  {
    name: 'ProxyPassReverseCookieDomain', args: 'TAKE23', contexts: SD, support: 'yes', handler: cookieDomainHandler,
    help: 'Domain rewrite rule for proxying cookies',
  },
  {
    name: 'ProxyBlock', args: 'ITERATE', contexts: S, support: 'partial', handler: srv.addProxyBlock,
    help: 'A list of names, hosts or domains to which the proxy will not connect',
    note: 'names are resolved when the proxy starts rather than while the configuration is read',
  },
  {
    name: 'ProxyReceiveBufferSize', args: 'TAKE1', contexts: S, support: 'ignored', handler: srv.setReceiveBufferSize,
    help: 'Receive buffer size for outgoing HTTP and FTP connections in bytes',
    note: 'the operating system chooses socket buffer sizes',
  },
  {
    name: 'ProxyIOBufferSize', args: 'TAKE1', contexts: S, support: 'ignored', handler: srv.setIoBufferSize,
    help: 'IO buffer size for outgoing HTTP and FTP connections in bytes',
    note: 'bodies are streamed with Node.js stream buffers',
  },
  {
    name: 'ProxyMaxForwards', args: 'TAKE1', contexts: S, support: 'yes', handler: srv.setMaxForwards,
    help: 'The maximum number of proxies a request may be forwarded through.',
  },
  {
    name: 'NoProxy', args: 'ITERATE', contexts: S, support: 'partial', handler: srv.addNoProxy,
    help: 'A list of domains, hosts, or subnets to which the proxy will connect directly',
    note: 'host names are resolved when the proxy starts; one that does not resolve is matched as a word',
  },
  {
    name: 'ProxyDomain', args: 'TAKE1', contexts: S, support: 'yes', handler: srv.setProxyDomain,
    help: 'The default intranet domain name (in absence of a domain in the URL)',
  },
  {
    name: 'ProxyVia', args: 'TAKE1', contexts: S, support: 'yes', handler: srv.setProxyVia,
    help: 'Configure Via: proxy header header to one of: on | off | block | full',
  },
  {
    name: 'ProxyErrorOverride', args: 'ITERATE', contexts: SD, support: 'yes', handler: dir.setErrorOverride,
    help: "use our error handling pages instead of the servers' we are proxying",
  },
  {
    name: 'ProxyPreserveHost', args: 'FLAG', contexts: SD, support: 'yes', handler: dir.setPreserveHost,
    help: 'on if we should preserve host header while proxying',
  },
  {
    name: 'ProxyTimeout', args: 'TAKE1', contexts: S, support: 'yes', handler: srv.setProxyTimeout,
    help: 'Set the timeout (in seconds) for a proxied connection. This overrides the server timeout',
  },
  {
    name: 'ProxyBadHeader', args: 'TAKE1', contexts: S, support: 'yes', handler: srv.setProxyBadHeader,
    help: 'How to handle bad header line in response: IsError | Ignore | StartBody',
  },
  {
    name: 'BalancerMember', args: 'RAW_ARGS', contexts: SD, support: 'yes', handler: balancerMemberHandler,
    help: 'A balancer name and scheme with list of params',
  },
  {
    name: 'BalancerGrowth', args: 'TAKE1', contexts: S, support: 'ignored', handler: srv.setBalancerGrowth,
    help: 'Number of additional Balancers that can be added post-config',
    note: "the balancer-manager adds members (a balancer's growth= parameter), not balancers",
  },
  {
    name: 'BalancerPersist', args: 'FLAG', contexts: S, support: 'partial', handler: srv.setBalancerPersist,
    help: 'on if the balancer should persist changes on reboot/restart made via the Balancer Manager',
    note: 'changes made in the balancer-manager are kept over a graceful reload (SIGHUP, -k graceful), not over a stop and start',
  },
  {
    name: 'BalancerInherit', args: 'FLAG', contexts: S, support: 'yes', handler: srv.setBalancerInherit,
    help: 'on if this server should inherit Balancers and Workers defined in the main server (Setting to off recommended if using the Balancer Manager)',
  },
  {
    name: 'ProxyPassInherit', args: 'FLAG', contexts: S, support: 'yes', handler: srv.setPassInherit,
    help: 'on if this server should inherit all ProxyPass directives defined in the main server (Setting to off recommended if using the Balancer Manager)',
    note: 'as in httpd 2.4, main-server ProxyPass rules still apply in the vhost; only ProxyRemote and (with BalancerInherit Off) workers and balancers stop being inherited',
  },
  {
    name: 'ProxyStatus', args: 'TAKE1', contexts: S, support: 'ignored', handler: srv.setProxyStatus,
    help: 'Configure Status: proxy status to one of: on | off | full',
    note: 'featherd has no mod_status page',
  },
  {
    name: 'ProxySet', args: 'RAW_ARGS', contexts: SD, support: 'yes', handler: proxySetHandler,
    help: 'A balancer or worker name with list of params',
  },
  {
    name: 'ProxySourceAddress', args: 'TAKE1', contexts: S, support: 'partial', handler: srv.setSourceAddress,
    help: 'Configure local source IP used for request forward',
    note: 'a host name is resolved when the proxy starts rather than while the configuration is read',
  },
  {
    name: 'ProxyAddHeaders', args: 'FLAG', contexts: SD, support: 'yes', handler: dir.setAddHeaders,
    help: 'on if X-Forwarded-* headers should be added or completed',
  },
  {
    name: 'Proxy100Continue', args: 'FLAG', contexts: SD, support: 'yes', handler: dir.setContinue100,
    help: 'on if 100-Continue should be forwarded to the origin server, off if the proxy should handle it by itself',
  },
];
