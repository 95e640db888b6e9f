import { constructUrl, reverseMapCookie, reverseMapUrl, type ReverseAlias } from './reverse.js';

const base = { scheme: 'http', hostname: '127.0.0.1', port: 18090 };

describe('reverseMapUrl (ap_proxy_location_reverse_map)', () => {
  test('observed: ProxyPassReverse /a http://127.0.0.1:19001/b', () => {
    // httpd 2.4.71: Location http://127.0.0.1:19001/b/target/x → http://127.0.0.1:18090/a/target/x
    const aliases: ReverseAlias[] = [{ path: '/a', url: 'http://127.0.0.1:19001/b' }];
    expect(reverseMapUrl('http://127.0.0.1:19001/b/target/x', aliases, base)).toBe('http://127.0.0.1:18090/a/target/x');
  });
  test('case-insensitive prefix without a / boundary; first match wins; no match unchanged', () => {
    const aliases: ReverseAlias[] = [
      { path: '/path', url: 'http://b/x' },
      { path: '/other', url: 'http://b/' },
    ];
    expect(reverseMapUrl('HTTP://B/xyz', aliases, base)).toBe('http://127.0.0.1:18090/pathyz');
    expect(reverseMapUrl('http://b/q', aliases, base)).toBe('http://127.0.0.1:18090/otherq');
    expect(reverseMapUrl('http://c/x', aliases, base)).toBe('http://c/x');
    expect(reverseMapUrl('/relative', aliases, base)).toBe('/relative');
  });
  test('path-only entries compare the path of absolute values, and relative values', () => {
    const aliases: ReverseAlias[] = [{ path: '/pub', url: '/internal' }];
    expect(reverseMapUrl('http://any.host:81/internal/x', aliases, base)).toBe('http://127.0.0.1:18090/pub/x');
    expect(reverseMapUrl('/internal/y', aliases, base)).toBe('http://127.0.0.1:18090/pub/y');
  });
  test('a full URL as public path is returned as is', () => {
    expect(reverseMapUrl('http://b/x', [{ path: 'https://public.example/', url: 'http://b/' }], base)).toBe('https://public.example/x');
  });
  test('balancer entries compare each member', () => {
    const members = ['http://h1:8080', 'http://h2:8080/app/'];
    const whole: ReverseAlias = { path: '/', url: 'balancer://c', members };
    expect(reverseMapUrl('http://H1:8080/x', [whole], base)).toBe('http://127.0.0.1:18090/x'); // "/" + "/x" without a double slash
    const sub: ReverseAlias = { path: '/bash', url: 'balancer://c/bar', members };
    expect(reverseMapUrl('http://h2:8080/app/bar/that', [sub], base)).toBe('http://127.0.0.1:18090/bash/that');
    expect(reverseMapUrl('http://h2:8080/app/BAR/that', [sub], base)).toBe('http://h2:8080/app/BAR/that');
  });
  test('constructUrl leaves out default ports and brackets IPv6', () => {
    expect(constructUrl('/x', { scheme: 'https', hostname: 'h', port: 443 })).toBe('https://h/x');
    expect(constructUrl('/x', { scheme: 'http', hostname: '::1', port: 8080 })).toBe('http://[::1]:8080/x');
  });
});

describe('reverseMapCookie (ap_proxy_cookie_reverse_map)', () => {
  const paths = [{ internal: '/app', public: '/pub' }];
  const domains = [{ internal: 'backend.internal', public: 'public.test' }];
  test('observed: whole value replaced, rest of the cookie kept', () => {
    // httpd 2.4.71: "a=1; Path=/app/sub; Domain=backend.internal" → "a=1; Path=/pub; Domain=public.test"
    expect(reverseMapCookie('a=1; Path=/app/sub; Domain=backend.internal', paths, domains)).toBe('a=1; Path=/pub; Domain=public.test');
  });
  test('path prefix is case-sensitive, domain case-insensitive; a leading dot does not match', () => {
    expect(reverseMapCookie('a=1; path=/APP', paths, domains)).toBe('a=1; path=/APP');
    expect(reverseMapCookie('a=1; domain=BACKEND.internal', paths, domains)).toBe('a=1; domain=public.test');
    expect(reverseMapCookie('a=1; domain=.backend.internal', paths, domains)).toBe('a=1; domain=.backend.internal');
  });
});
