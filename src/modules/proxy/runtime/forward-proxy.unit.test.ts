/** The pure parts of forward proxying: target parsing, ProxyDomain, ProxyBlock, ProxyRemote and NoProxy matching, AllowCONNECT. */
import type { RequestContext } from '../../../runtime/server.js';
import type { RemoteProxy } from '../config.js';
import { blockedBy, type BlockList } from './block.js';
import { parseConnectTarget, portAllowed } from './connect.js';
import { domainRedirect, parseTarget } from './forward-proxy.js';
import { setProxyReq } from './proxyreq.js';
import { noProxyMatches, remotesFor } from './remote.js';

const loc = { file: 't.conf', line: 1, column: 1 };

test('request-targets as proxy_detect sees them', () => {
  expect(parseTarget('http://user@Host.Example:8080/p?q', 'GET')).toEqual({ scheme: 'http', hostname: 'Host.Example', port: 8080 });
  expect(parseTarget('http://[::1]/x', 'GET')).toEqual({ scheme: 'http', hostname: '::1', port: null });
  expect(parseTarget('/local', 'GET')).toEqual({ scheme: null, hostname: null, port: null });
  expect(parseTarget('example.com:443', 'CONNECT')).toEqual({ scheme: null, hostname: 'example.com', port: 443 });
  expect(parseConnectTarget('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
  expect(parseConnectTarget('host')).toBeNull();
  expect(parseConnectTarget('host:70000')).toBeNull();
});

test('ProxyDomain appends the domain to GET requests for hosts without a dot', () => {
  const ctx = { method: 'GET', data: new Map() } as unknown as RequestContext;
  setProxyReq(ctx, 'proxy');
  expect(domainRedirect(ctx, 'http://intranet:81/a?b', '.example.com')).toBe('http://intranet.example.com:81/a?b');
  expect(domainRedirect(ctx, 'http://www.example.com/', '.example.com')).toBeNull();
  expect(domainRedirect(ctx, 'http://localhost/', '.example.com')).toBeNull();
  expect(domainRedirect({ ...ctx, method: 'POST' } as RequestContext, 'http://intranet/', '.example.com')).toBeNull();
});

test('ProxyBlock: substring of the name, *, or a shared address when connecting directly', () => {
  const list: BlockList = { entries: ['evil', '*x', 'named.test'], addrs: new Map([['named.test', ['192.0.2.9']]]), ready: Promise.resolve() };
  expect(blockedBy({ ...list, entries: ['evil'] }, 'www.evil.test', [])).toEqual({ entry: 'evil', by: 'name' });
  expect(blockedBy({ ...list, entries: ['*x'] }, 'anything', null)).toEqual({ entry: '*x', by: 'name' });
  expect(blockedBy({ ...list, entries: ['named.test'] }, '192.0.2.9', ['192.0.2.9'])).toEqual({ entry: 'named.test', by: 'ip', ip: '192.0.2.9' });
  expect(blockedBy({ ...list, entries: ['named.test'] }, '192.0.2.9', null)).toBeNull();
});

test('ProxyRemote entries: *, scheme, URL prefix, regex', () => {
  const r = (match: string, regex?: RegExp): RemoteProxy => ({ match, ...(regex ? { regex } : {}), protocol: 'http', hostname: 'p', port: 1, loc });
  const all = [r('ftp'), r('http://intra.'), r('*'), r('^https:', /^https:/)];
  expect(remotesFor(all, 'http://intra.example/x').map((x) => x.match)).toEqual(['http://intra.', '*']);
  expect(remotesFor(all, 'FTP://f/x').map((x) => x.match)).toEqual(['ftp', '*']);
  expect(remotesFor(all, 'https://s/').map((x) => x.match)).toEqual(['*', '^https:']);
});

test('NoProxy: subnets, domains, words', async () => {
  expect(await noProxyMatches({ kind: 'ip', name: '192.168.112.0/21', addr: 0xc0a87000, mask: 0xfffff800 }, '192.168.115.4')).toBe(true);
  expect(await noProxyMatches({ kind: 'ip', name: '192.168.112.0/21', addr: 0xc0a87000, mask: 0xfffff800 }, '192.168.120.1')).toBe(false);
  expect(await noProxyMatches({ kind: 'domain', name: '.example.com' }, 'www.Example.com.')).toBe(true);
  expect(await noProxyMatches({ kind: 'domain', name: '.example.com' }, 'example.com')).toBe(false);
  expect(await noProxyMatches({ kind: 'host', name: 'no-such-name.invalid' }, 'a.no-such-name.invalid.b')).toBe(true);
});

test('AllowCONNECT defaults to 443 and 563', () => {
  expect([443, 563, 80].map((p) => portAllowed([], p))).toEqual([true, true, false]);
  expect([5, 10, 11].map((p) => portAllowed([{ first: 5, last: 10 }], p))).toEqual([true, true, false]);
});
