/** The records the directive walk leaves for the runtime compiler: ProxyPass rules, workers, balancers. */
import type { ServerRec } from '../../directives/types.js';
import { coreSections } from '../core/config.js';
import { proxyDir, proxyServer } from './config.js';
import { BASE_MODULES, load } from './test/load.js';

function main(body: string, modules = BASE_MODULES): { server: ServerRec; vhosts: ServerRec[]; warnings: string[] } {
  const r = load(body, modules);
  if (r.error) throw new Error(r.error.message);
  return {
    server: r.state!.mainServer,
    vhosts: r.state!.vhosts,
    warnings: r.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.code}: ${d.message}`),
  };
}

describe('ProxyPass rules', () => {
  test('rules keep config order, kind, flags and their worker', () => {
    const { server } = main(
      'ProxyPass /x/i !\nProxyPass /x http://Backend:80/App nocanon noquery interpolate\nProxyPassMatch "^/(.*\\.gif)$" http://b.example/$1\nProxyPass ~ ^/r(.*) http://c/$1 mapping=servlet',
    );
    const rules = proxyServer(server).aliases;
    expect(rules.map((r) => [r.kind, r.path, r.url, r.directive])).toEqual([
      ['prefix', '/x/i', '!', 'ProxyPass'],
      ['prefix', '/x', 'http://Backend:80/App', 'ProxyPass'],
      ['regex', '^/(.*\\.gif)$', 'http://b.example/$1', 'ProxyPassMatch'],
      ['regex', '^/r(.*)', 'http://c/$1', 'ProxyPass'],
    ]);
    expect(rules[0].worker).toBeUndefined();
    expect(rules[1].flags).toEqual({ nocanon: true, interpolate: true, noquery: true });
    expect(rules[1].worker?.name).toBe('http://backend/App');
    expect(rules[2].regex?.exec('/a/b.gif')?.[1]).toBe('a/b.gif');
    expect(rules[2].worker?.isMatch).toBe(true);
    expect(rules[2].worker?.params.disableReuse).toBe(true);
    expect(rules[3].flags.mapping).toBe('servlet');
    expect(proxyServer(server).mapEncodedAll).toBe(false);
  });

  test('worker names are normalised as httpd does', () => {
    const { server } = main(
      [
        'ProxyPass /a HTTPS://Host.Example:443/P',
        'ProxyPass /b http://[::1]:8080/x',
        'ProxyPass /c ws://h:80/sock',
        'ProxyPass /d "unix:/run/app.sock|http://localhost/api"',
        'ProxyPass /e "unix:/run/b.sock|http:"',
        'ProxyPass /f fcgi://127.0.0.1:8000/',
        'ProxyPassMatch ^/g(.*) http://h:8080$1',
      ].join('\n'),
    );
    const ws = proxyServer(server).workers;
    expect(ws.map((w) => w.name)).toEqual([
      'https://host.example/P',
      'http://[::1]:8080/x',
      'ws://h/sock',
      'http://localhost/api',
      'http://localhost',
      'fcgi://127.0.0.1/',
      'http://h:8080$1',
    ]);
    expect(ws[1].port).toBe(8080);
    expect(ws[0].port).toBe(443);
    expect(ws[3].udsPath).toBe('/run/app.sock');
    expect(ws[3].displayName).toBe('unix:/run/app.sock|http://localhost/api');
    expect(ws.every((w) => w.params.status.has('I'))).toBe(true);
  });

  test('worker parameters are parsed into typed values', () => {
    const { server } = main(
      'ProxyPass / http://a/ connectiontimeout=500ms timeout=30 acquire=5 ping=2 retry=0 ttl=120 max=20 smax=5 min=1 keepalive=On enablereuse=off upgrade=ANY flushpackets=auto flushwait=0 iobuffersize=0 responsefieldsize=0 addressttl=-1 status=+H-I',
    );
    const p = proxyServer(server).workers[0].params;
    expect(p).toMatchObject({
      connectionTimeout: 500_000, timeout: 30_000_000, acquire: 5_000, ping: 2_000_000, retry: 0, ttl: 120_000_000,
      max: 20, smax: 5, min: 1, keepalive: true, disableReuse: true, upgrade: '*', flushPackets: 'auto', flushWait: 10_000,
      ioBufferSize: 8192, responseFieldSize: 8192, addressTtl: -1,
    });
    expect([...p.status]).toEqual(['H']);
  });

  test('ProxyTimeout defined before a ProxyPass is copied into its worker', () => {
    const { server } = main('ProxyPass /a http://a/\nProxyTimeout 7\nProxyIOBufferSize 1024\nProxyPass /b http://b/');
    const [a, b] = proxyServer(server).workers;
    expect(a.fromServer).toEqual({});
    expect(b.fromServer).toEqual({ timeout: 7_000_000, ioBufferSize: 1024 });
  });

  test('duplicate keys: the first spelling is kept with the last value (apr_table_setn)', () => {
    const { server } = main('ProxyPass / http://a/ Retry=1 timeout=2 retry=3');
    const w = proxyServer(server).workers[0];
    expect(w.set).toEqual(['retry', 'timeout']);
    expect(w.params.retry).toBe(3_000_000);
  });
});

describe('worker sharing (AH01146 / AH01150)', () => {
  test('a later ProxyPass reuses the longest-prefix worker and its parameters are ignored', () => {
    const { server, warnings } = main('ProxyPass /apps http://backend.example.com/ timeout=60\nProxyPass /examples http://backend.example.com/examples timeout=10');
    const conf = proxyServer(server);
    expect(conf.workers).toHaveLength(1);
    expect(conf.aliases[1].worker).toBe(conf.workers[0]);
    expect(conf.workers[0].params.timeout).toBe(60_000_000);
    expect(warnings).toEqual([
      "AH01146: Ignoring parameter 'timeout=10' for worker 'http://backend.example.com/' because of worker sharing",
    ]);
    const shared = conf.workers[0].sharedBy[0];
    expect(shared.loc.line).toBe(conf.aliases[1].loc.line);
    expect(conf.workers[0].loc.line).toBe(conf.aliases[0].loc.line);
    expect(shared.ignored).toEqual([{ key: 'timeout', value: '10' }]);
  });

  test('Unix-socket workers are shared by their http:// name (as in httpd)', () => {
    const { warnings } = main('ProxyPass /a "unix:/a.sock|http://localhost/" retry=1\nProxyPass /b "unix:/b.sock|http://localhost/" retry=0');
    expect(warnings).toEqual([
      "AH01146: Ignoring parameter 'retry=0' for worker 'unix:/a.sock|http://localhost/' because of worker sharing",
    ]);
  });

  test('a shared balancer member warns with AH01150', () => {
    const { server, warnings } = main('<Proxy balancer://c>\nBalancerMember http://a:8080\nBalancerMember http://a:8080/x route=r2\n</Proxy>');
    expect(proxyServer(server).balancers[0].members).toHaveLength(1);
    expect(warnings).toEqual(["AH01150: Ignoring parameter 'route=r2' for worker 'http://a:8080' because of worker sharing"]);
  });
});

describe('balancers', () => {
  test('members, lbmethod and sticky sessions (mod_proxy doc example)', () => {
    const { server } = main(
      [
        'ProxyPass "/special-area" "http://special.example.com" smax=5 max=10',
        'ProxyPass "/" "balancer://mycluster/" stickysession=JSESSIONID|jsessionid nofailover=On',
        '<Proxy "balancer://mycluster">',
        'BalancerMember "ajp://1.2.3.4:8009"',
        'BalancerMember "ajp://1.2.3.5:8009" loadfactor=20',
        'BalancerMember "ajp://1.2.3.6:8009" loadfactor=5',
        '</Proxy>',
      ].join('\n'),
    );
    const conf = proxyServer(server);
    const b = conf.balancers[0];
    expect(b.name).toBe('balancer://mycluster');
    expect(b.vpath).toBe('/');
    expect(b.params.sticky).toEqual({ cookie: 'JSESSIONID', path: 'jsessionid' });
    expect(b.params.nofailover).toBe(true);
    expect(b.members.map((m) => [m.name, m.params.lbfactor, m.balancer])).toEqual([
      ['ajp://1.2.3.4', 100, 'balancer://mycluster'],
      ['ajp://1.2.3.5', 2000, 'balancer://mycluster'],
      ['ajp://1.2.3.6', 500, 'balancer://mycluster'],
    ]);
    expect(b.members[0].params.status.has('I')).toBe(false);
    expect(conf.aliases[1].balancer).toBe(b);
    expect(conf.workers.map((w) => w.name)).toEqual(['http://special.example.com']);
  });

  test('hot spares, hot standby and two-decimal load factors', () => {
    const { server } = main(
      [
        '<Proxy "balancer://hotcluster">',
        'BalancerMember "http://1.2.3.4:8009" loadfactor=1',
        'BalancerMember "http://1.2.3.5:8009" loadfactor=2.25',
        'BalancerMember "http://1.2.3.6:8009" status=+H',
        'BalancerMember "http://1.2.3.7:8009" status=+R lbset=1',
        'ProxySet lbmethod=bytraffic',
        '</Proxy>',
      ].join('\n'),
      [...BASE_MODULES, 'lbmethod_bytraffic'],
    );
    const b = proxyServer(server).balancers[0];
    expect(b.params.lbmethod).toBe('bytraffic');
    expect(b.members.map((m) => m.params.lbfactor)).toEqual([100, 225, 100, 100]);
    expect([...b.members[2].params.status]).toEqual(['H']);
    expect([...b.members[3].params.status]).toEqual(['R']);
    expect(b.members[3].params.lbset).toBe(1);
  });

  test('a balancer used by ProxyPass before its members are defined is the same balancer', () => {
    const { server } = main('ProxyPass /test balancer://mycluster stickysession=ROUTEID\n<Proxy balancer://MyCluster>\nBalancerMember http://192.168.1.50:80 route=1\n</Proxy>\nProxySet balancer://mycluster failonstatus=502,503 timeout=5 maxattempts=2');
    const conf = proxyServer(server);
    expect(conf.balancers).toHaveLength(1);
    const b = conf.balancers[0];
    expect(b.members[0].name).toBe('http://192.168.1.50');
    expect(b.members[0].params.route).toBe('1');
    expect(b.params).toMatchObject({ failonstatus: [502, 503], timeout: 5_000_000, maxattempts: 2, sticky: { cookie: 'ROUTEID', path: 'ROUTEID' } });
    expect(b.vpath).toBe('/test');
  });

  test('BalancerMember outside <Proxy> names its balancer', () => {
    const { server } = main('BalancerMember balancer://Out http://a scolonpathdelim=on'.replace(' scolonpathdelim=on', ' loadfactor=3'));
    const b = proxyServer(server).balancers[0];
    expect(b.name).toBe('balancer://out');
    expect(b.members[0].params.lbfactor).toBe(300);
  });

  test('balancer parameters', () => {
    const { server } = main('ProxyPass / balancer://b/ stickysessionsep=Off scolonpathdelim=On failontimeout=On nonce=None growth=10 forcerecovery=Off stickysession=' + 'x'.repeat(70));
    const p = proxyServer(server).balancers[0].params;
    expect(p).toMatchObject({ stickySeparator: '', stickySeparatorSet: true, scolonpathdelim: true, failontimeout: true, nonce: '', growth: 10, forcerecovery: false });
    expect(p.sticky?.cookie).toHaveLength(63);
  });
});

describe('<Proxy> and <ProxyMatch> sections', () => {
  test('sections in order, with their per-directory configs', () => {
    const { server } = main(
      [
        '<Proxy "*">',
        'Require all granted',
        '</Proxy>',
        '<Proxy "proxy:http://example.com/foo/*">',
        'ProxyPreserveHost On',
        '</Proxy>',
        '<ProxyMatch "^http://(?<sitename>[^/]+)">',
        'ProxyAddHeaders Off',
        '</ProxyMatch>',
        '<Proxy http://backend>',
        'ProxySet keepalive=On',
        '</Proxy>',
      ].join('\n'),
    );
    const conf = proxyServer(server);
    expect(conf.sections.map((s) => [s.kind, s.pattern, s.isWildcard])).toEqual([
      ['proxy', '*', true],
      ['proxy', 'http://example.com/foo/*', true],
      ['proxymatch', '^http://(?<sitename>[^/]+)', true],
      ['proxy', 'http://backend', false],
    ]);
    expect(proxyDir(conf.sections[1].dirConfigs).preserveHost).toBe(true);
    expect(proxyDir(conf.sections[2].dirConfigs).addHeaders).toBe(false);
    expect(conf.sections[2].matchNames).toEqual(['sitename']);
    expect(conf.sections[2].regex?.exec('http://site.example/x')?.groups?.sitename).toBe('site.example');
    expect(conf.workers[0]).toMatchObject({ name: 'http://backend', params: { keepalive: true } });
  });

  test('parameters on the <Proxy> line configure the worker or balancer', () => {
    const { server } = main('<Proxy "fcgi://localhost/" enablereuse=on max=10>\n</Proxy>\n<Proxy balancer://b lbmethod=byrequests maxattempts=1>\n</Proxy>');
    const conf = proxyServer(server);
    expect(conf.workers[0]).toMatchObject({ name: 'fcgi://localhost/', params: { disableReuse: false, max: 10 } });
    expect(conf.balancers[0].params.maxattempts).toBe(1);
  });

  test('ProxyPass inside a <Location> is that context\'s rule; a glob path makes it a regex', () => {
    const { server } = main(
      [
        '<Location "/mirror/foo/">',
        'ProxyPass "http://backend.example.com/"',
        'ProxyPassReverse "http://backend.example.com/"',
        '</Location>',
        'ProxyPass "/mirror/foo/i" "!"',
        '<LocationMatch "^/a/(.*)$">',
        'ProxyPass "http://x.example/$1"',
        '</LocationMatch>',
        '<LocationMatch "^/api$">',
        'ProxyPass "http://api.example/"',
        '</LocationMatch>',
        '<Location /two>',
        'ProxyPass http://first/',
        'ProxyPass http://second/',
        '</Location>',
      ].join('\n'),
    );
    const conf = proxyServer(server);
    expect(conf.aliases.map((a) => a.path)).toEqual(['/mirror/foo/i']);
    const locs = coreSections(server).map((sec) => proxyDir(sec.dirConfigs));
    expect(locs[0].alias).toMatchObject({ kind: 'prefix', path: '/mirror/foo/', url: 'http://backend.example.com/', section: 'Location' });
    expect(locs[0].reverse[0]).toMatchObject({ path: '/mirror/foo/', url: 'http://backend.example.com/' });
    expect(locs[1].alias).toMatchObject({ kind: 'regex', path: '^/a/(.*)$', section: 'LocationMatch' });
    expect(locs[1].alias?.worker?.isMatch).toBe(true);
    // httpd decides with apr_fnmatch_test on the path: no glob character, so a prefix rule.
    expect(locs[2].alias).toMatchObject({ kind: 'prefix', path: '^/api$', section: 'LocationMatch' });
    expect(locs[3].alias?.url).toBe('http://second/');
    expect(conf.workers.map((w) => w.name)).toEqual(['http://backend.example.com/', 'http://x.example/$1', 'http://api.example/', 'http://first/', 'http://second/']);
  });
});

describe('per-directory settings', () => {
  test('ProxyPassReverse, cookie maps, error override codes', () => {
    const { server } = main(
      [
        'ProxyPass "/mirror/foo/" "http://backend.example.com/"',
        'ProxyPassReverse "/mirror/foo/" "http://backend.example.com/"',
        'ProxyPassReverse /b balancer://mycluster/ interpolate',
        'ProxyPassReverseCookieDomain "backend.example.com" "public.example.com"',
        'ProxyPassReverseCookiePath "/" "/mirror/foo/" anything',
        'ProxyErrorOverride On 503 403 500',
        'ProxyErrorOverride 404',
        'ProxyPassInterpolateEnv On',
        'Proxy100Continue Off',
      ].join('\n'),
    );
    const d = proxyDir(server.dirConfigs);
    expect(d.reverse.map((r) => [r.path, r.url, r.interpolate])).toEqual([
      ['/mirror/foo/', 'http://backend.example.com/', false],
      ['/b', 'balancer://mycluster/', true],
    ]);
    expect(d.cookieDomains[0]).toMatchObject({ path: 'backend.example.com', url: 'public.example.com', interpolate: false });
    expect(d.cookiePaths[0]).toMatchObject({ path: '/', url: '/mirror/foo/', interpolate: true });
    expect(d.errorOverride).toBe(true);
    expect(d.errorOverrideCodes).toEqual([403, 404, 500, 503]);
    expect(d.interpolateEnv).toBe(true);
    expect(d.continue100).toBe(false);
  });
});

describe('server-wide settings', () => {
  test('forward proxy, remote proxies, NoProxy, ProxyBlock, ProxyDomain', () => {
    const { server, warnings } = main(
      [
        'ProxyRequests On',
        'ProxyVia Full',
        'ProxyRemote "http://goodguys.example.com/" "http://mirrorguys.example.com:8000"',
        'ProxyRemote "*" "http://cleverproxy.localdomain" user:secret',
        'ProxyRemote "FTP" "http://ftpproxy.mydomain:8080"',
        'ProxyRemoteMatch "^https?://int\\." "http://gw:3128"',
        'NoProxy ".Example.com." "192.168.112.0/21" 10.0 host.example',
        'ProxyBlock "news.example.com" "NEWS.example.com" "*"',
        'ProxyDomain ".example.com"',
        'ProxyMaxForwards 15',
        'ProxyTimeout 30s',
        'ProxyBadHeader ignore',
        'ProxySourceAddress 192.0.2.1',
      ].join('\n'),
    );
    const c = proxyServer(server);
    expect(c).toMatchObject({ req: true, via: 'full', domain: '.example.com', maxForwards: 15, timeout: 30_000_000, badHeader: 'Ignore', sourceAddress: '192.0.2.1' });
    expect(c.remotes.map((r) => [r.match, r.protocol, r.hostname, r.port])).toEqual([
      ['http://goodguys.example.com/', 'http', 'mirrorguys.example.com', 8000],
      ['*', 'http', 'cleverproxy.localdomain', 80],
      ['ftp', 'http', 'ftpproxy.mydomain', 8080],
      ['^https?://int\\.', 'http', 'gw', 3128],
    ]);
    expect(c.remotes[1].auth).toBe(`Basic ${Buffer.from('user:secret').toString('base64')}`);
    expect(c.remotes[3].regex?.test('https://int.example')).toBe(true);
    expect(c.noProxy).toEqual([
      { kind: 'domain', name: '.example.com' },
      { kind: 'ip', name: '192.168.112.0/21', addr: 0xc0a87000, mask: 0xfffff800 },
      { kind: 'ip', name: '10.0', addr: 0x0a000000, mask: 0xff000000 },
      { kind: 'host', name: 'host.example' },
    ]);
    expect(warnings).toEqual(['AH00900: Warning: NetMask not supplied with IP-Addr; guessing: 10.0.0.0/8']);
    expect(c.block).toEqual(['news.example.com', '*']);
  });

  test('AllowCONNECT ranges', async () => {
    const { connectServer } = await import('../proxy_connect/module.js');
    const { server } = main('AllowCONNECT 443 8000-8100', [...BASE_MODULES, 'proxy_connect']);
    expect(connectServer(server).ports.map((p) => [p.first, p.last])).toEqual([[443, 443], [8000, 8100]]);
  });
});

describe('virtual hosts', () => {
  test('each server keeps its own records; merging puts the main server first', async () => {
    const { proxyModule } = await import('./module.js');
    const { server, vhosts } = main('ProxyPass /m http://main/\nProxyVia On\n<VirtualHost *:80>\nProxyPass /v http://v/\nProxyPassInherit Off\n</VirtualHost>');
    const v = proxyServer(vhosts[0]);
    expect(v.aliases.map((a) => a.path)).toEqual(['/v']);
    const merged = proxyModule.mergeServerConfig!(proxyServer(server), v);
    expect(merged.aliases.map((a) => a.path)).toEqual(['/m', '/v']);
    expect(merged.via).toBe('on');
    expect(merged.workers.map((w) => w.name)).toEqual(['http://main/', 'http://v/']);
  });

  test('BalancerInherit Off and ProxyPassInherit Off stop workers and balancers from being inherited', async () => {
    const { proxyModule } = await import('./module.js');
    const { server, vhosts } = main('ProxyPass /m http://main/\nProxyRemote * http://gw:3128\n<VirtualHost *:80>\nBalancerInherit Off\nProxyPassInherit Off\n</VirtualHost>');
    const merged = proxyModule.mergeServerConfig!(proxyServer(server), proxyServer(vhosts[0]));
    expect(merged.workers).toEqual([]);
    expect(merged.remotes).toEqual([]);
    expect(merged.aliases.map((a) => a.path)).toEqual(['/m']);
  });
});
