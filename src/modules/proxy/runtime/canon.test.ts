import { canonEncPath, canonHttpUrl, normalizePath, parseNetloc, prepareUri, unescapePath } from './canon.js';
import { matchPass } from './match.js';

describe('prepareUri: request path as httpd decodes it before ProxyPass', () => {
  // Each row was sent with a raw socket to httpd 2.4.71 (ProxyPass /ex http://127.0.0.1:19301/echo,
  // AllowEncodedSlashes as given) and the echo backend reported the request line it got.
  test.each([
    ['/ex//x///y', 'off', '/ex/x/y'],
    ['/ex/./x/.', 'off', '/ex/x/'],
    ['/ex/a/..', 'off', '/ex/'],
    ['/ex/..', 'off', '/'], // observed 404: nothing proxies "/"
    ['/ex/%2e%2E/q', 'off', '/q'],
    ['/ex/.%2e/q', 'off', '/q'],
    ['/ex/%2e./q', 'off', '/q'],
    ['/ex/a%2e%2e/q', 'off', '/ex/a../q'],
    ['/ex/%41%2D%5f', 'off', '/ex/A-_'],
    ['/ex/%7e/%2541', 'off', '/ex/~/%41'],
    ['/ex/%C3%A9', 'off', '/ex/\xc3\xa9'],
    ['/nd/a%2fb%20c', 'nodecode', '/nd/a%2fb c'],
    ['/on/a%2Fb', 'on', '/on/a/b'],
    ['/on/a%2F..%2Fb', 'on', '/on/b'],
    ['/on/x/..%2F..%2F..%2Fb', 'on', '/b'], // above root after decoding: ignored
  ] as const)('%s (AllowEncodedSlashes %s) → %s', (target, slashes, uri) => {
    const r = prepareUri(target, { allowEncodedSlashes: slashes });
    expect(r.ok && r.value.uri).toBe(uri);
  });

  test.each([
    ['/../x', 400], // observed 400
    ['/ex/%', 400], // observed 400
    ['/ex/%4', 400],
    ['/ex/%ZZ?x', 400],
    ['/b/echo%2Fx', 404], // observed 404 with AllowEncodedSlashes Off
    ['/ex/a%00b', 404], // observed 404
    ['relative', 400],
  ])('%s → %d', (target, status) => {
    const r = prepareUri(target, { allowEncodedSlashes: 'off' });
    expect(r.ok ? 200 : r.error.status).toBe(status);
  });

  test('query and absolute URIs', () => {
    const r = prepareUri('http://Example.com:8080?a=%zz');
    expect(r.ok && r.value).toMatchObject({ uri: '/', target: { args: 'a=%zz', scheme: 'http', hostport: 'Example.com:8080' } });
    const s = prepareUri('/x/y?');
    expect(s.ok && s.value.target.args).toBe('');
    const star = prepareUri('*');
    expect(star.ok && star.value.uri).toBe('*');
  });

  test('MergeSlashes Off keeps runs of slashes', () => {
    expect(normalizePath('/a//b', { mergeSlashes: false }).path).toBe('/a//b');
    expect(normalizePath('/a//b', { mergeSlashes: true }).path).toBe('/a/b');
  });

  test('unescapePath: a bad escape wins over %2F', () => {
    const r = unescapePath('/a%2F%zz', 'off');
    expect(r.ok ? 0 : r.error.status).toBe(400);
  });
});

describe('canonEncPath (ap_proxy_canonenc_ex, reverse proxy)', () => {
  test('observed: which characters are re-encoded', () => {
    // Request /b/echo/a%7e%41%5B'~$!*(),;:@&=+-_.%25%c3%a9<>"{}|^` reached the backend as below.
    const decoded = prepareUri("/echo/a%7e%41%5B'~$!*(),;:@&=+-_.%25%c3%a9<>\"{}|^`");
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(canonEncPath(decoded.value.uri)).toBe("/echo/a~A%5B'~$!*(),;:@&=+-_.%25%C3%A9%3C%3E%22%7B%7D%7C%5E%60");
  });
  test('NoDecode: %2F kept as written, other %XX become %25XX, lone % fails', () => {
    expect(canonEncPath('/a%2fb%2F c', true)).toBe('/a%2fb%2F%20c');
    expect(canonEncPath('/a%41', true)).toBe('/a%2541');
    expect(canonEncPath('/a%?~', true)).toBeNull(); // observed 400 for /nd/a%2Fb%41%25%3F%7E~
    expect(canonEncPath('/a%', false)).toBe('/a%25');
  });
  test('characters beyond latin1 are encoded as UTF-8', () => {
    expect(canonEncPath('/\xe9')).toBe('/%E9'); // a byte string: one octet per character
    expect(canonEncPath('/\u20ac')).toBe('/%E2%82%AC');
  });
});

describe('canonHttpUrl (proxy_http_canon)', () => {
  test('host lowercased, default port dropped, query verbatim', () => {
    const r = canonHttpUrl('HTTP://Backend.Test:80/a b', { args: 'q=1%202&x=%zz' });
    expect(r && r.ok && r.value.url).toBe('http://backend.test/a%20b?q=1%202&x=%zz');
    const s = canonHttpUrl('https://h:443/x', { args: null });
    expect(s && s.ok && s.value.url).toBe('https://h/x');
    const t = canonHttpUrl('https://h:80/x', { args: null });
    expect(t && t.ok && t.value.url).toBe('https://h:80/x');
  });
  test('IPv6 stays bracketed; zone ids are rejected', () => {
    const r = canonHttpUrl('http://[::1]:8080/x', { args: null });
    expect(r && r.ok && r.value).toMatchObject({ url: 'http://[::1]:8080/x', netloc: { host: '::1', port: 8080 } });
    const z = canonHttpUrl('http://[fe80::1%eth0]/x', { args: null });
    expect(z && !z.ok && z.error.status).toBe(400);
  });
  test('nocanon: raw path with its query; control chars or spaces → 403', () => {
    const r = canonHttpUrl('http://h/echo/a%2Fb?x=%20', { nocanon: true, args: 'x=%20' });
    expect(r && r.ok && r.value.pathAndQuery).toBe('/echo/a%2Fb?x=%20');
    const bad = canonHttpUrl('http://h/a\x01b', { nocanon: true, args: null });
    expect(bad && !bad.ok && bad.error).toMatchObject({ status: 403, logMessage: expect.stringMatching(/AH10415/) });
  });
  test('query with a control character → 403 (AH10408)', () => {
    const r = canonHttpUrl('http://h/x', { args: 'a\x7f' });
    expect(r && !r.ok && r.error.status).toBe(403);
  });
  test('noencode (mapping=encoded): path as is, query appended', () => {
    const r = canonHttpUrl('http://h/a%2Fb%zz', { noencode: true, args: 'q' });
    expect(r && r.ok && r.value.pathAndQuery).toBe('/a%2Fb%zz?q');
  });
  test('a non-numeric port stays in the host name (observed: DNS lookup failure for 127.0.0.1:19301bar)', () => {
    const m = matchPass({ server: [{ kind: 'prefix', path: '/mis/', url: 'http://127.0.0.1:19301' }] }, { uri: '/mis/bar', unparsedUri: '/mis/bar' });
    expect(m.kind === 'proxy' && m.url).toBe('http://127.0.0.1:19301bar');
    const r = canonHttpUrl(m.kind === 'proxy' ? m.url : '', { args: null });
    expect(r && r.ok && r.value.netloc).toMatchObject({ host: '127.0.0.1:19301bar', port: 80 });
  });
  test('other schemes are declined; malformed netloc → 400', () => {
    expect(canonHttpUrl('ajp://h/x', { args: null })).toBeNull();
    const r = canonHttpUrl('http:/h/x', { args: null });
    expect(r && !r.ok && r.error.status).toBe(400);
    expect(parseNetloc('http', '//u:p@H:99999/').ok).toBe(false);
    const u = parseNetloc('http', '//u:p@H:81/p');
    expect(u.ok && u.value).toMatchObject({ netloc: { user: 'u:p', host: 'h', port: 81, explicitPort: true }, path: 'p' });
  });
});

describe('canonHttpUrl: a URL after one with the same scheme and authority', () => {
  const opts = { args: null };
  /** The result with a different URL canonicalised just before (nothing shared with it). */
  const alone = (url: string) => {
    canonHttpUrl('https://unrelated.example:8443/z', opts);
    return canonHttpUrl(url, opts);
  };
  const pairs: [string, string][] = [
    ['http://h:1/a', 'http://h:1/b?c'],
    ['http://h:1/a', 'http://h:10/a'],
    ['http://h:1/a', 'http://h:1'],
    ['http://h:1', 'http://h:1/x%20y'],
    ['http://h:1', 'http://h:1x/'],
    ['http://H:80/a', 'http://H:80/b'],
    ['HTTP://Host/a', 'http://host/a'],
    ['http://u@h:1/a', 'http://u@h:1/a b'],
    ['http://[::1]:8/a', 'http://[::1]:8/'],
    ['ws://h/a', 'ws://h:99999/a'],
    ['http://h:1/a', 'http://h:1@x/a'],
  ];
  test.each(pairs)('%s then %s', (first, second) => {
    const want = alone(second);
    canonHttpUrl(first, opts);
    expect(canonHttpUrl(second, opts)).toEqual(want);
    expect(canonHttpUrl(second, opts)).toEqual(want);
  });
});
