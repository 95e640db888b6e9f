import { canonicalIp, fixHostname, VhostTable, wildcardMatch, type VhostInput } from './vhost.js';

const v = (id: string, addrs: VhostInput<string>['addrs'], names: string[], wildcards: string[] = [], extra: Partial<VhostInput<string>> = {}): VhostInput<string> => ({
  id,
  addrs,
  names,
  wildcards,
  ...extra,
});

describe('fixHostname', () => {
  // Observed with httpd 2.4.71 (HttpProtocolOptions Strict, the default): raw requests with
  // these Host values; 400 or accepted.
  test.each([
    ['on.test', 'on.test', null],
    ['ON.TEST.', 'on.test', null],
    ['on.test:99', 'on.test', 99],
    ['1.2.3.4', '1.2.3.4', null],
    ['10.0.0.1', '10.0.0.1', null],
    ['a.b.c1', 'a.b.c1', null],
    ['x_y.on.test', 'x_y.on.test', null],
    ['[::1]:80', '[::1]', 80],
  ])('%s accepted as %s', (raw, host, port) => {
    expect(fixHostname(raw)).toEqual({ ok: true, value: { hostname: host, port } });
  });
  test.each(['1.2.3', '1.02.3.4', 'a.b.1com', '123', 'on.test:abc', '[::1', 'Bad,Host', 'a..b', '', 'on.test:', 'a/b', 'a\\b'])(
    '%j → 400',
    (raw) => {
      const r = fixHostname(raw);
      expect(r.ok ? 200 : r.error.status).toBe(400);
    },
  );
  test('non-strict mode accepts what only the strict check refuses', () => {
    expect(fixHostname('Bad,Host', false).ok).toBe(true);
    expect(fixHostname('123', false).ok).toBe(true);
    expect(fixHostname('a..b', false).ok).toBe(false);
  });
});

describe('wildcards and IPs', () => {
  test('ap_strcasecmp_match', () => {
    expect(wildcardMatch('www.Example.com', '*.example.com')).toBe(true);
    expect(wildcardMatch('example.com', '*.example.com')).toBe(false);
    expect(wildcardMatch('w1.x', 'w?.x')).toBe(true);
    expect(wildcardMatch('w12.x', 'w?.x')).toBe(false);
  });
  test('IPv4-mapped IPv6 compares as IPv4', () => {
    expect(canonicalIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalIp('[::1]')).toBe(canonicalIp('0:0:0:0:0:0:0:1'));
  });
});

describe('VhostTable', () => {
  const table = new VhostTable({
    vhosts: [
      v('a', [{ ip: '*', port: 80 }], ['a.test'], ['*.a.test']),
      v('b', [{ ip: '*', port: 80 }], ['b.test', 'alias-b.test']),
      v('ip', [{ ip: '127.0.0.2', port: 80 }], ['ip.test']),
      v('ipany', [{ ip: '127.0.0.3', port: '*' }], ['any.test']),
      v('p8080', [{ ip: '*', port: 8080 }], ['p.test']),
      v('star', [{ ip: '*', port: '*' }], ['star.test']),
      v('star2', [{ ip: '*', port: '*' }], ['star2.test'], [], { serverPath: '/sp' }),
    ],
  });
  const pick = (ip: string, port: number, host?: string, uri = '/') => {
    const r = table.forConnection(ip, port).forRequest({ host, uri, http11: host !== undefined });
    return r.ok ? r.value.id : r.error.status;
  };
  test('name-based chain: ServerName, ServerAlias, wildcard, default = first listed', () => {
    expect(pick('10.0.0.1', 80, 'b.test')).toBe('b');
    expect(pick('10.0.0.1', 80, 'ALIAS-B.test:80')).toBe('b');
    expect(pick('10.0.0.1', 80, 'x.a.test')).toBe('a');
    expect(pick('10.0.0.1', 80, 'unknown.test')).toBe('a');
    expect(pick('10.0.0.1', 80, 'bad,host')).toBe(400);
  });
  test('a specific IP beats wildcard chains; its wildcard port is the second choice', () => {
    expect(pick('127.0.0.2', 80, 'b.test')).toBe('ip');
    expect(pick('127.0.0.3', 9999, 'a.test')).toBe('ipany');
    expect(pick('::ffff:127.0.0.2', 80, 'x.test')).toBe('ip');
  });
  test('wildcard address: exact port before wildcard port; nothing → main server', () => {
    expect(pick('10.0.0.1', 8080, 'a.test')).toBe('p8080');
    expect(pick('10.0.0.1', 9000, 'star2.test')).toBe('star2');
    expect(pick('10.0.0.1', 9000, 'other')).toBe('star');
    const none = new VhostTable({ vhosts: [v('only', [{ ip: '127.0.0.9', port: 80 }], ['o'])] });
    const r = none.forConnection('127.0.0.1', 80).forRequest({ host: 'o', uri: '/' });
    expect(r.ok && r.value.id).toBeNull();
  });
  test('no Host: ServerPath, else the default; HTTP/1.1 without Host → 400', () => {
    const c = table.forConnection('10.0.0.1', 9000);
    const sp = c.forRequest({ uri: '/sp/x' });
    expect(sp.ok && sp.value.id).toBe('star2');
    const spx = c.forRequest({ uri: '/spx' });
    expect(spx.ok && spx.value.id).toBe('star');
    const h11 = c.forRequest({ uri: '/', http11: true });
    expect(h11.ok ? 0 : h11.error.status).toBe(400);
  });
  test('absolute URI host replaces the Host header; StrictHostCheck', () => {
    const c = table.forConnection('10.0.0.1', 80);
    const r = c.forRequest({ host: 'a.test', absoluteHost: 'b.test', uri: '/' });
    expect(r.ok && r.value).toEqual({ id: 'b', hostname: 'b.test', port: null });
    const s = c.forRequest({ host: 'nope.test', uri: '/', strictHostCheck: true });
    expect(s.ok ? 0 : s.error.status).toBe(400);
  });
  test('remembered selections: the same per connection address, flags kept apart, refusals not kept', () => {
    expect(table.forConnection('10.0.0.1', 80)).toBe(table.forConnection('10.0.0.1', 80));
    expect(table.forConnection('::ffff:127.0.0.2', 80).chain).toBe(table.forConnection('127.0.0.2', 80).chain);
    const c = table.forConnection('10.0.0.1', 80);
    for (let i = 0; i < 3; i++) {
      const r = c.forRequest({ host: 'B.test:80', uri: `/${i}` });
      expect(r.ok && r.value).toEqual({ id: 'b', hostname: 'b.test', port: 80 });
    }
    // HttpProtocolOptions Strict refuses `1.2.3`, Unsafe accepts it: the answers stay apart.
    const strict = c.forRequest({ host: '1.2.3', uri: '/' });
    expect(strict.ok ? 200 : strict.error.status).toBe(400);
    expect(c.forRequest({ host: '1.2.3', uri: '/', strict: false }).ok).toBe(true);
    expect(c.forRequest({ host: '1.2.3', uri: '/' }).ok).toBe(false);
    // StrictHostCheck: an unknown name is refused, also after it was accepted without the check.
    expect(c.forRequest({ host: 'nope.test', uri: '/' }).ok).toBe(true);
    expect(c.forRequest({ host: 'nope.test', uri: '/', strictHostCheck: true }).ok).toBe(false);
    // Without a Host the path still decides (ServerPath).
    const c9 = table.forConnection('10.0.0.1', 9000);
    expect(c9.forRequest({ uri: '/sp/x' }).ok && c9.forRequest({ uri: '/sp/x' })).toMatchObject({ value: { id: 'star2' } });
    expect(c9.forRequest({ uri: '/other' })).toMatchObject({ value: { id: 'star' } });
  });
  test('address text of <VirtualHost name:port> is matched after names', () => {
    const t = new VhostTable({ vhosts: [v('x', [{ ip: '*', port: 80 }], ['x.test']), v('y', [{ ip: '*', port: 80 }], ['y.test'], [], { addrNames: ['www.y.test'] })] });
    const r = t.forConnection('1.1.1.1', 80).forRequest({ host: 'www.y.test', uri: '/' });
    expect(r.ok && r.value.id).toBe('y');
  });
});
