/** The C-library and APR behaviour the proxy handlers reproduce. */
import fc from 'fast-check';
import { hcheckServer } from '../proxy_hcheck/config.js';
import { proxyServer } from './config.js';
import { atoi, fnmatchTest, getwordConf2, parseTimeoutParameter } from './cstr.js';
import { applyStatus } from './params.js';
import type { StatusFlag } from './config.js';
import { BASE_MODULES, load } from './test/load.js';
import { parseUri, proxyPortOfScheme, unparseUri } from './uri.js';
import { defineWorker, deSocketfy, findWorker, strcmpEmatch } from './worker.js';

const loc = { file: 'x', line: 1, column: 1 };

test('atoi ignores trailing text and whitespace before the number', () => {
  expect([atoi('30s'), atoi(' 7'), atoi('x'), atoi('-3'), atoi('99999999999')]).toEqual([30, 7, 0, -3, 1215752191]);
});

test('ap_timeout_parameter_parse units', () => {
  expect(parseTimeoutParameter('5', 's')).toBe(5_000_000);
  expect(parseTimeoutParameter('5', 'ms')).toBe(5_000);
  expect(parseTimeoutParameter('500ms', 's')).toBe(500_000);
  expect(parseTimeoutParameter('2mi', 's')).toBe(120_000_000);
  expect(parseTimeoutParameter('1h', 's')).toBe(3_600_000_000);
  expect(parseTimeoutParameter('5x', 's')).toBeUndefined();
  expect(parseTimeoutParameter('-5', 's')).toBeUndefined();
  expect(parseTimeoutParameter('abc', 's')).toBeUndefined();
});

test('apr_fnmatch_test', () => {
  expect(['/a*', '/a?', '/[ab]', '/a', '/[a', '/a\\*', '^/api$'].map(fnmatchTest)).toEqual([true, true, true, false, false, false, false]);
});

test('ap_getword_conf2 reads nested braces', () => {
  expect(getwordConf2(' {a {b} c} rest')).toEqual({ word: 'a {b} c', rest: 'rest' });
  expect(getwordConf2('"q w" x')).toEqual({ word: 'q w', rest: 'x' });
});

test('apr_uri_parse / unparse round trip the parts that name workers', () => {
  const u = parseUri('http://User:Pw@[::1]:8080/p?q#f');
  expect(u).toMatchObject({ scheme: 'http', user: 'User', password: 'Pw', hostname: '::1', port: 8080, path: '/p', query: 'q', fragment: 'f' });
  expect(unparseUri(u!)).toBe('http://User:Pw@[::1]:8080/p?q#f');
  expect(parseUri('http://h:8x/')).toBeUndefined();
  expect(parseUri('relative/x')).toMatchObject({ path: 'relative/x' });
});

test('status letters switch mode after + and -', () => {
  const first = new Set<StatusFlag>(['I']);
  const w: { status: ReadonlySet<StatusFlag> } = { status: first };
  expect(applyStatus(w, 'S-IE+h')).toBeUndefined();
  expect([...w.status].sort()).toEqual(['H', 'S']);
  expect([...first]).toEqual(['I']); // a new set replaces the old one, which may be shared
  expect(applyStatus(w, 'D+')).toBe('Unknown status parameter option');
  expect([...w.status].sort()).toEqual(['H', 'S']);
});

test('de-socketfy and $n matching', () => {
  expect(deSocketfy('unix:/s|http://h/x')).toBe('http://h/x');
  expect(deSocketfy('unix:/s|fcgi:')).toBe('fcgi://localhost');
  expect(deSocketfy('unix:/s|nothing')).toBeUndefined();
  expect(strcmpEmatch('http://h/a/b', 'http://h/$1/b')).toBe(0);
  expect(strcmpEmatch('http://h/a/c', 'http://h/$1/b')).toBe(-1);
  expect(strcmpEmatch('http://x/', 'http://h/')).toBe(1);
});

test('findWorker picks the longest prefix, comparing scheme and host case-insensitively', () => {
  const a = defineWorker('http://h/', false, loc) as ReturnType<typeof defineWorker> & object;
  const b = defineWorker('http://h/app', false, loc) as ReturnType<typeof defineWorker> & object;
  const m = defineWorker('http://h/$1/x', true, loc) as ReturnType<typeof defineWorker> & object;
  if (typeof a === 'string' || typeof b === 'string' || typeof m === 'string') throw new Error('define failed');
  expect(findWorker([a, b], 'HTTP://H/app/z', 'both')).toBe(b);
  expect(findWorker([a, b], 'http://h/App', 'both')).toBe(a);
  expect(findWorker([a, b], 'http://other/', 'both')).toBeUndefined();
  expect(findWorker([a, m], 'http://h/qq/x', 'match')).toBe(m);
  expect(findWorker([a, m], 'http://h/qq/x', 'prefix')).toBe(a);
  // as in httpd, a $n name longer than the URL never matches
  expect(findWorker([m], 'http://h/q/x', 'match')).toBeUndefined();
});

test('health-check templates and expressions are kept per server and applied to workers', () => {
  const r = load(
    'ProxyHCExpr ok234 {%{REQUEST_STATUS} =~ /^[234]/}\nProxyHCTemplate tcp5 hcmethod=tcp hcinterval=5\nProxyHCTemplate get hcmethod=GET hcuri=/status hcexpr=ok234\n<Proxy balancer://foo>\nBalancerMember http://www2.example.com/ hctemplate=tcp5\nBalancerMember http://www3.example.com/ hctemplate=get hcpasses=2 hcfails=3\nBalancerMember http://www4.example.com/\n</Proxy>',
    [...BASE_MODULES, 'proxy_hcheck'],
  );
  expect(r.error).toBeUndefined();
  const hc = hcheckServer(r.state!.mainServer);
  expect(hc.conditions.get('ok234')).toMatchObject({ name: 'ok234', expr: '%{REQUEST_STATUS} =~ /^[234]/' });
  expect(hc.templates.map((t) => [t.name, t.method, t.interval])).toEqual([
    ['tcp5', 'TCP', 5_000_000],
    ['get', 'GET', 30_000_000],
  ]);
  const members = proxyServer(r.state!.mainServer).balancers[0].members;
  expect(members.map((m) => m.params.hc)).toEqual([
    { method: 'TCP', interval: 5_000_000, passes: 1, fails: 1, uri: undefined, expr: undefined },
    { method: 'GET', interval: 30_000_000, passes: 2, fails: 3, uri: '/status', expr: 'ok234' },
    { method: 'NONE', interval: 30_000_000, passes: 1, fails: 1 },
  ]);
});

test('worker URLs read off directly name the worker as parsing and unparsing them does', () => {
  const scheme = fc.constantFrom('http', 'https', 'ws', 'wss', 'ajp', 'fcgi', 'h2', 'h2c', 'ftp', 'HTTP', 'Http');
  const host = fc.constantFrom('127.0.0.1', 'backend', 'Backend.Example', 'a-b.c', '[::1]', 'u@h', 'h.', '0');
  const port = fc.option(fc.constantFrom('80', '443', '8080', '0', '00', '080', '65535', '65536', '99999', '21', '8009', ''), { nil: undefined });
  const path = fc.constantFrom('', '/', '/app/', '/a?b', '/a#f', '/x/$1', '//', '/%2F');
  fc.assert(
    fc.property(scheme, host, port, path, (sc, h, p, pa) => {
      const url = `${sc}://${h}${p === undefined ? '' : `:${p}`}${pa}`;
      const w = defineWorker(url, false, loc);
      // What ap_proxy_define_worker_ex makes of it, through apr_uri_parse and apr_uri_unparse.
      const u = parseUri(url);
      if (!u || !u.scheme || u.hostname === undefined) {
        expect(typeof w).toBe('string');
        return;
      }
      u.scheme = u.scheme.toLowerCase();
      u.hostname = u.hostname.toLowerCase();
      const def = proxyPortOfScheme(u.scheme);
      if (u.port && u.port === def) u.port = 0;
      expect(typeof w).toBe('object');
      if (typeof w === 'string') return;
      expect({ name: w.name, scheme: w.scheme, hostname: w.hostname, port: w.port, path: w.path }).toEqual({
        name: unparseUri(u),
        scheme: u.scheme,
        hostname: u.hostname,
        port: u.port || def,
        path: u.path ?? '',
      });
    }),
    { numRuns: 2000 },
  );
});
