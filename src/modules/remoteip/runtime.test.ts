/** mod_remoteip's walk over the header (the cases recorded from Apache are in conformance/runtime/remoteip-*). */
import { parseIpSubnet, type IpSubnet } from '../authz_host/ipsubnet.js';
import type { RemoteIpServerConfig } from './config.js';
import { resolveClient } from './runtime.js';

function subnet(s: string): IpSubnet {
  const [ip, mask] = s.split('/');
  const r = parseIpSubnet(ip, mask);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

const conf = (proxies?: { s: string; internal: boolean }[]): RemoteIpServerConfig => ({
  header: 'X-Forwarded-For',
  proxyProtocolExceptions: [],
  ...(proxies ? { proxies: proxies.map((p) => ({ subnet: subnet(p.s), internal: p.internal })) } : {}),
});

test('without a proxy list every public address is taken, private ones stop the walk', () => {
  expect(resolveClient(conf(), '127.0.0.1', '203.0.113.6, 198.51.100.7')).toEqual({ clientIp: '203.0.113.6', remaining: null, proxies: ['198.51.100.7', '127.0.0.1'] });
  expect(resolveClient(conf(), '127.0.0.1', '10.1.2.3')).toBeNull();
});

test('an internal proxy may present private addresses; the walk stops at the first non-proxy', () => {
  const c = conf([{ s: '127.0.0.1', internal: true }]);
  expect(resolveClient(c, '127.0.0.1', '8.8.8.8, 10.9.9.9')).toEqual({ clientIp: '10.9.9.9', remaining: '8.8.8.8', proxies: ['127.0.0.1'] });
});

test('a trusted (external) proxy may not present a private address', () => {
  const c = conf([{ s: '127.0.0.1', internal: false }]);
  expect(resolveClient(c, '127.0.0.1', '203.0.113.7, 10.0.0.1')).toBeNull();
  expect(resolveClient(c, '127.0.0.1', '198.51.100.1, 203.0.113.8')).toEqual({ clientIp: '203.0.113.8', remaining: '198.51.100.1', proxies: ['127.0.0.1'] });
});

test('a peer that is not a listed proxy is left alone, and garbage stops the walk', () => {
  const c = conf([{ s: '192.0.2.1', internal: true }]);
  expect(resolveClient(c, '127.0.0.1', '203.0.113.1')).toBeNull();
  expect(resolveClient(conf(), '127.0.0.1', 'not-an-ip')).toBeNull();
});
