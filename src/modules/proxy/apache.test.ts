/**
 * featherd's mod_proxy family must reject and warn about configurations exactly as the real
 * `apache2 -t` does: each case is run through both, and the error line, error message and
 * warnings must be equal.
 */
import { apacheInstalled, compare } from './test/apache.js';
import { BASE_MODULES } from './test/load.js';

const HC = [...BASE_MODULES, 'proxy_hcheck'];
const ALL = [...BASE_MODULES, 'proxy_hcheck', 'proxy_connect', 'proxy_wstunnel', 'proxy_fcgi', 'lbmethod_heartbeat'];
const long = (n: number): string => 'r'.repeat(n);

const cases: [string, string, string[]?][] = [
  // worker sharing
  ['shared worker warns', 'ProxyPass / http://a/ retry=5\nProxyPass /b http://a/x timeout=5 ttl=9'],
  ['shared member warns', '<Proxy balancer://x>\nBalancerMember http://a/\nBalancerMember http://a/b loadfactor=2\n</Proxy>'],
  ['longest prefix first, no sharing', 'ProxyPass /b http://a/x timeout=5\nProxyPass / http://a/ retry=5'],
  ['ProxyPassMatch worker shares a prefix worker', 'ProxyPass / http://a/\nProxyPassMatch ^/(.*) http://a/$1 timeout=3'],
  ['a vhost does not share main-server workers', 'ProxyPass / http://a/\n<VirtualHost *:80>\nProxyPass / http://a/ timeout=3\n</VirtualHost>'],
  // ProxyPass syntax
  ['~ in ProxyPassMatch', 'ProxyPassMatch ~ /x http://a/'],
  ['ProxyPass ~ regex', 'ProxyPass ~ ^/x(.*) http://a/$1 timeout=2'],
  ['missing URL', 'ProxyPass /x'],
  ['non key=value word', 'ProxyPass /x http://a/ nocanon junk'],
  ['path inside Location', '<Location /l>\nProxyPass /x http://a/\n</Location>'],
  ['junk inside Location', '<Location /l>\nProxyPass http://a/ junk\n</Location>'],
  ['relative URL', 'ProxyPass /x relative/url'],
  ['bad unix: URL', 'ProxyPass /x "unix:/tmp/s.sock|foo"'],
  ['unix: URL', 'ProxyPass /x "unix:/tmp/s.sock|http://app/" timeout=4\nProxyPass /y "unix:/tmp/t.sock|http://app/" retry=1'],
  ['unknown mapping', 'ProxyPass /x http://a/ mapping=weird'],
  ['bad regex', 'ProxyPassMatch "^/(x" http://a/'],
  ['bad balancer name', 'ProxyPass /x balancer:nope'],
  ['in Directory', '<Directory /tmp>\nProxyPass http://a/\n</Directory>'],
  ['in Files', '<Files x>\nProxyPassReverse http://a/\n</Files>'],
  ['exclusion ignores params', 'ProxyPass /x ! junk=1'],
  // worker parameters
  ['loadfactor 0', 'ProxyPass / http://a/ loadfactor=0.5'],
  ['loadfactor 100.5', '<Proxy balancer://b>\nBalancerMember http://a loadfactor=100.01\n</Proxy>'],
  ['unknown worker parameter', 'ProxyPass / http://a/ foo=1'],
  ['unknown hcheck parameter', 'ProxyPass / http://a/ hcfoo=1', HC],
  ['hc parameter without hcheck', 'ProxyPass / http://a/ hcmethod=GET'],
  ['retry', 'ProxyPass / http://a/ retry=-1'],
  ['ttl', 'ProxyPass / http://a/ ttl=0'],
  ['min', 'ProxyPass / http://a/ min=-1'],
  ['max', 'ProxyPass / http://a/ max=-2'],
  ['smax', 'ProxyPass / http://a/ smax=-2'],
  ['acquire 0', 'ProxyPass / http://a/ acquire=0'],
  ['acquire format', 'ProxyPass / http://a/ acquire=5x'],
  ['timeout', 'ProxyPass / http://a/ timeout=0'],
  ['iobuffersize', 'ProxyPass / http://a/ iobuffersize=100'],
  ['receivebuffersize', 'ProxyPass / http://a/ receivebuffersize=511'],
  ['keepalive', 'ProxyPass / http://a/ keepalive=yes'],
  ['disablereuse', 'ProxyPass / http://a/ disablereuse=1'],
  ['enablereuse', 'ProxyPass / http://a/ enablereuse=1'],
  ['route length', `ProxyPass / http://a/ route=${long(64)}`],
  ['redirect length', `ProxyPass / http://a/ redirect=${long(70)}`],
  ['status letter', 'ProxyPass / http://a/ status=X'],
  ['status trailing +', 'ProxyPass / http://a/ status=D+'],
  ['status ok', 'ProxyPass / http://a/ status=-I+DSHRNEC'],
  ['flushpackets', 'ProxyPass / http://a/ flushpackets=maybe'],
  ['flushwait', 'ProxyPass / http://a/ flushwait=1001'],
  ['ping format', 'ProxyPass / http://a/ ping=-1'],
  ['ping 0', 'ProxyPass / http://a/ ping=0ms'],
  ['lbset', 'ProxyPass / http://a/ lbset=100'],
  ['connectiontimeout', 'ProxyPass / http://a/ connectiontimeout=abc'],
  ['flusher', `ProxyPass / http://a/ flusher=${long(16)}`],
  ['upgrade', `ProxyPass / http://a/ upgrade=${long(16)}`],
  ['responsefieldsize', 'ProxyPass / http://a/ responsefieldsize=-1'],
  ['secret', `ProxyPass / http://a/ secret=${long(64)}`],
  ['addressttl', 'ProxyPass / http://a/ addressttl=-2'],
  // balancer parameters
  ['unknown lbmethod', 'ProxyPass /x balancer://b/ lbmethod=bytraffic'],
  ['lbmethod of a loaded module', 'ProxyPass /x balancer://b/ lbmethod=heartbeat', ALL],
  ['unknown balancer parameter', 'ProxyPass /x balancer://b/ bogus=1'],
  ['stickysessionsep', 'ProxyPass /x balancer://b/ stickysessionsep=ab'],
  ['failonstatus', 'ProxyPass /x balancer://b/ failonstatus=500,99'],
  ['growth', 'ProxyPass /x balancer://b/ growth=0'],
  ['maxattempts', 'ProxyPass /x balancer://b/ maxattempts=-1'],
  ['nofailover', 'ProxyPass /x balancer://b/ nofailover=maybe'],
  ['balancer timeout', 'ProxyPass /x balancer://b/ timeout=0'],
  ['scolonpathdelim', 'ProxyPass /x balancer://b/ scolonpathdelim=2'],
  ['failontimeout', 'ProxyPass /x balancer://b/ failontimeout=2'],
  ['forcerecovery', 'ProxyPass /x balancer://b/ forcerecovery=2'],
  ['nonce', `ProxyPass /x balancer://b/ nonce=${long(37)}`],
  // BalancerMember / ProxySet
  ['member without balancer', 'BalancerMember http://a'],
  ['member without name', 'BalancerMember'],
  ['member with path in Location', '<Location /x>\nBalancerMember balancer://x http://a http://b\n</Location>'],
  ['member in plain Location', '<Location /x>\nBalancerMember http://a\n</Location>'],
  ['member extra word', 'BalancerMember balancer://x http://a extra'],
  ['member bad parameter', 'BalancerMember balancer://x http://a lbset=-1'],
  ['ProxySet unknown balancer', 'ProxySet balancer://nope lbmethod=byrequests'],
  ['ProxySet unknown worker', 'ProxySet http://nope timeout=1'],
  ['ProxySet bad value in section', '<Proxy http://a>\nProxySet timeout=0\n</Proxy>'],
  ['ProxySet non key=value', '<Proxy balancer://b>\nProxySet lbmethod\n</Proxy>'],
  ['ProxySet in <Proxy *>', '<Proxy *>\nProxySet timeout=5\n</Proxy>'],
  ['ProxySet on a balancer', 'ProxyPass / balancer://b/\nProxySet balancer://b lbmethod=bybusyness'],
  // sections
  ['<Proxy> wildcard with parameters', '<Proxy http://a/*  timeout=5>\n</Proxy>'],
  ['<Proxy> non-URL with parameters', '<Proxy /local timeout=5>\n</Proxy>'],
  ['<ProxyMatch> with parameters', '<ProxyMatch ^http a=b>\n</ProxyMatch>'],
  ['<ProxyMatch> bad regex', '<ProxyMatch "(">\n</ProxyMatch>'],
  ['<Proxy> worker parameter', '<Proxy http://a retry=-1>\n</Proxy>'],
  ['<Proxy> balancer parameter', '<Proxy balancer://b foo=1>\n</Proxy>'],
  ['<Proxy> parameter without =', '<Proxy http://a retry>\n</Proxy>'],
  ['<Proxy> without a closing >', '<Proxy http://a\n</Proxy>'],
  ['<Proxy> without a path', '<Proxy>\n</Proxy>'],
  ['<Proxy> inside <Location>', '<Location /x>\n<Proxy *>\n</Proxy>\n</Location>'],
  ['ProxyPass inside <Proxy>', '<Proxy http://a/>\nProxyPass http://b/ timeout=3\n</Proxy>\nProxyPass /c http://b/ retry=1'],
  ['ProxyPass inside <If>', '<If "true">\nProxyPass http://a/\n</If>'],
  ['ProxySet inside <Location>', '<Location /x>\nProxySet http://a timeout=3\n</Location>'],
  ['BalancerMember in a non-balancer <Proxy>', '<Proxy http://x>\nBalancerMember http://a\n</Proxy>'],
  ['ProxyPass to a balancer in a vhost', '<Proxy balancer://b>\nBalancerMember http://a\n</Proxy>\n<VirtualHost *:80>\nProxyPass / balancer://b/ lbmethod=bogus\n</VirtualHost>'],
  ['error inside <Proxy>', '<Proxy balancer://b>\nBalancerMember http://a foo=1\n</Proxy>'],
  // server directives
  ['ProxyErrorOverride first word', 'ProxyErrorOverride 404'],
  ['ProxyErrorOverride after Off', 'ProxyErrorOverride Off 404'],
  ['ProxyErrorOverride code range', 'ProxyErrorOverride On 302'],
  ['ProxyErrorOverride not numeric', 'ProxyErrorOverride On abc'],
  ['ProxyVia', 'ProxyVia maybe'],
  ['ProxyTimeout', 'ProxyTimeout 0'],
  ['ProxyDomain', 'ProxyDomain example.com'],
  ['ProxyBadHeader', 'ProxyBadHeader x'],
  ['ProxyStatus', 'ProxyStatus x'],
  ['BalancerGrowth', 'BalancerGrowth 2000'],
  ['ProxyIOBufferSize', 'ProxyIOBufferSize 100'],
  ['ProxyReceiveBufferSize', 'ProxyReceiveBufferSize 100'],
  ['ProxyRemote bad syntax', 'ProxyRemote * foo'],
  ['ProxyRemote bad port', 'ProxyRemote * http://p:99999'],
  ['ProxyRemoteMatch bad regex', 'ProxyRemoteMatch "(" http://p'],
  ['ProxyRemote too many', 'ProxyRemote * http://p a:b c'],
  ['ProxyPassReverse one word', 'ProxyPassReverse /x'],
  ['ProxyPassReverse path in Location', '<Location /a>\nProxyPassReverse /a http://b/\n</Location>'],
  ['cookie path arguments', 'ProxyPassReverseCookiePath /a'],
  ['NoProxy warnings', 'NoProxy 192.168 10.1.2.3/8 .example.com. foo'],
  ['ProxySourceAddress', 'ProxySourceAddress 1.2.3.4.5'],
  ['FLAG value', 'ProxyPreserveHost maybe'],
  // other modules
  ['AllowCONNECT word', 'AllowCONNECT abc', ALL],
  ['AllowCONNECT junk', 'AllowCONNECT 443x', ALL],
  ['AllowCONNECT range junk', 'AllowCONNECT 1-x', ALL],
  ['AllowCONNECT ranges', 'AllowCONNECT 443 8000-8100', ALL],
  ['ProxyHCExpr without name', 'ProxyHCExpr', HC],
  ['ProxyHCExpr without expression', 'ProxyHCExpr ok', HC],
  ['ProxyHCExpr extra', 'ProxyHCExpr ok {%{REQUEST_STATUS} =~ /^2/} extra', HC],
  ['ProxyHCExpr long name', `ProxyHCExpr ${long(16)} {true}`, HC],
  ['ProxyHCTemplate bad word', 'ProxyHCTemplate t foo', HC],
  ['ProxyHCTemplate bad method', 'ProxyHCTemplate t hcmethod=bogus', HC],
  ['ProxyHCTPsize negative', 'ProxyHCTPsize -1', HC],
  ['ProxyHCTPsize in vhost', '<VirtualHost *:80>\nProxyHCTPsize 4\n</VirtualHost>', HC],
  ['unknown hcexpr', 'ProxyPass / http://a/ hcexpr=nope', HC],
  ['hcexpr of the main server in a vhost', 'ProxyHCExpr ok {%{REQUEST_STATUS} =~ /^2/}\n<VirtualHost *:80>\nProxyPass / http://a/ hcexpr=ok\n</VirtualHost>', HC],
  ['unknown hctemplate', 'ProxyPass / http://a/ hctemplate=nope', HC],
  ['hcinterval', 'ProxyPass / http://a/ hcinterval=50ms', HC],
  ['hcinterval format', 'ProxyPass / http://a/ hcinterval=x', HC],
  ['hcmethod cping', 'ProxyPass / http://a/ hcmethod=cping', HC],
  ['hcpasses', 'ProxyPass / http://a/ hcpasses=-1', HC],
  ['hcuri', `ProxyPass / http://a/ hcuri=${long(64)}`, HC],
  ['ProxyFCGIBackendType', 'ProxyFCGIBackendType cgi', ALL],
  ['ProxyFCGISetEnvIf unset mode', 'ProxyFCGISetEnvIf true !X y', ALL],
  ['ProxyFCGISetEnvIf bang', 'ProxyFCGISetEnvIf true !', ALL],
  ['HeartbeatStorage in vhost', '<VirtualHost *:80>\nHeartbeatStorage x\n</VirtualHost>', ALL],
  ['ProxyWebsocketFallbackToProxyHttp', 'ProxyWebsocketFallbackToProxyHttp maybe', ALL],
];

describe('configtest agrees with apache2 -t', () => {
  test('real Apache httpd is installed', () => {
    expect(apacheInstalled()).toBe(true);
  });
  test('there are enough cases', () => {
    expect(cases.length).toBeGreaterThan(100);
  });
  test.each(cases.map(([n, b, m]) => [n, b, m ?? BASE_MODULES] as const))('%s', (_name, body, modules) => {
    const { apache, featherd } = compare(body, [...modules]);
    expect(featherd).toEqual(apache);
  });
});
