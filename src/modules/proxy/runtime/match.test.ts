import { aliasMatch, aliasMatchServlet, interpolate, matchPass, matchRule, regSub, type PassRule } from './match.js';

const prefix = (path: string, url: string, extra: Partial<PassRule> = {}): PassRule => ({ kind: 'prefix', path, url, ...extra });
const regex = (src: string, url: string, extra: Partial<PassRule> = {}): PassRule => ({
  kind: 'regex',
  path: src,
  regex: new RegExp(src),
  url,
  ...extra,
});
const req = (uri: string, unparsedUri = uri) => ({ uri, unparsedUri });

describe('aliasMatch (httpd alias_match)', () => {
  test.each([
    ['/foo', '/foo', 4],
    ['/foo/', '/foo', 4],
    ['/foo/x', '/foo', 4],
    ['/foobar', '/foo', 0],
    ['/fo', '/foo', 0],
    ['/foo', '/foo/', 0], // URI shorter than the path: no match (notes §2)
    ['/foo/bar', '/foo/', 5],
    ['//foo///bar', '/foo/bar', 11], // a run of '/' matches a run
    ['/foo//x', '/foo/', 6],
    ['/x', '/', 1],
    ['/', '/', 1],
    ['/foo', '//foo', 4],
    ['foo', '/foo', 0],
    ['/Foo', '/foo', 0], // case-sensitive
  ])('aliasMatch(%s, %s) = %d', (uri, path, len) => {
    expect(aliasMatch(uri, path)).toBe(len);
  });
});

describe('prefix rules: target = url + uri[len:] (observed on httpd 2.4.71)', () => {
  test('trailing-slash mismatch gives a double slash: ProxyPass /mis2 http://b/', () => {
    const r = matchRule(prefix('/mis2', 'http://b/'), req('/mis2/bar'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://b//bar' });
  });
  test('path with slash, URL without: ProxyPass /mis/ http://127.0.0.1:19001', () => {
    const r = matchRule(prefix('/mis/', 'http://127.0.0.1:19001'), req('/mis/bar'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://127.0.0.1:19001bar' });
  });
  test('ProxyPass /foo/ http://b/ does not match /foo', () => {
    expect(matchRule(prefix('/foo/', 'http://b/'), req('/foo'))).toBeNull();
  });
  test('query is not part of the match and not in the URL', () => {
    const r = matchRule(prefix('/b', 'http://h:1'), req('/b/x', '/b/x?q=1'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://h:1/x', nocanon: false });
  });
});

describe('regex rules', () => {
  test('$N substitution', () => {
    const r = matchRule(regex('^/rx/(.*)\\.gif$', 'http://h/echo/$1'), req('/rx/d/e f.gif'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://h/echo/d/e f' });
  });
  test('no substitution: the whole URI is appended (observed /rz/a/b.png → /echo/rz/a/b.png)', () => {
    const r = matchRule(regex('^/rz/.*\\.png$', 'http://h/echo'), req('/rz/a/b.png'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://h/echo/rz/a/b.png' });
    const gif = matchRule(regex('\\.gif$', 'http://b'), req('/dir/x.gif'));
    expect(gif).toMatchObject({ url: 'http://b/dir/x.gif' });
  });
  test('unanchored regex matches anywhere', () => {
    expect(matchRule(regex('x', 'http://b/'), req('/a/x/b'))).not.toBeNull();
  });
  test('regSub: $0, unmatched group empty, backslash escapes', () => {
    const m = /^\/(a)(z)?(b)/.exec('/ab/c')!;
    expect(regSub('x$0-$1-$2-$3-\\$1-$', m)).toBe('x/ab-a--b-$1-$');
  });
  test('regex with the global flag is matched from the start every time', () => {
    const rule: PassRule = { kind: 'regex', path: '^/g', regex: /^\/g/g, url: 'http://b' };
    expect(matchRule(rule, req('/g1'))).not.toBeNull();
    expect(matchRule(rule, req('/g2'))).not.toBeNull();
  });
});

describe('exclusions and first match', () => {
  const rules = [prefix('/ex/skip', '!'), prefix('/ex', 'http://h/echo')];
  test.each([
    ['/ex/skip/x', 'excluded'],
    ['/ex/skip', 'excluded'],
    ['/ex/skipper', 'proxy'], // observed: GET /echo/skipper
    ['/ex/x', 'proxy'],
    ['/other', 'none'],
  ])('%s → %s', (uri, kind) => {
    expect(matchPass({ server: rules }, req(uri)).kind).toBe(kind);
  });
  test('an exclusion after the general rule never applies', () => {
    const r = matchPass({ server: [prefix('/ex', 'http://h'), prefix('/ex/skip', '!')] }, req('/ex/skip'));
    expect(r.kind).toBe('proxy');
  });
  test('the Location rule is checked before a server-level exclusion (doc example 024)', () => {
    const r = matchPass(
      { location: prefix('/mirror/foo', 'http://backend.example.com'), server: [prefix('/mirror/foo/i', '!')] },
      req('/mirror/foo/i'),
    );
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://backend.example.com/i' });
  });
  test('first matching server rule wins', () => {
    const r = matchPass({ server: [prefix('/a', 'http://one'), prefix('/a/b', 'http://two')] }, req('/a/b/c'));
    expect(r).toMatchObject({ url: 'http://one/b/c' });
  });
  test('no-proxy env, "*" and relative paths are never proxied', () => {
    const rules2 = { server: [prefix('/', 'http://h/')] };
    expect(matchPass(rules2, { ...req('/x'), env: new Map([['no-proxy', '1']]) }).kind).toBe('none');
    expect(matchPass(rules2, req('*')).kind).toBe('none');
    expect(matchPass(rules2, req('x')).kind).toBe('none');
  });
  test('mapping=encoded rules only in the pre-translate pass, others only after', () => {
    const rules2 = { server: [prefix('/e', 'http://enc', { mapping: 'encoded' as const }), prefix('/', 'http://dec/')] };
    expect(matchPass(rules2, req('/e/a%2Fb'), true)).toMatchObject({ url: 'http://enc/a%2Fb', noencode: true });
    expect(matchPass(rules2, req('/e/x'), false)).toMatchObject({ url: 'http://dec/e/x' });
    expect(matchPass(rules2, req('/x'), true).kind).toBe('none');
  });
  test('checkTrans veto moves on to the next rule', () => {
    const rules2 = { server: [prefix('/ws', 'ws://h/'), prefix('/ws', 'http://h/')] };
    const r = matchPass(rules2, { ...req('/ws/x'), checkTrans: (u: string) => !u.startsWith('ws:') });
    expect(r).toMatchObject({ url: 'http://h//x' });
  });
});

describe('nocanon', () => {
  test('remainder taken raw, including the query', () => {
    const r = matchRule(prefix('/nc', 'http://h/echo', { nocanon: true }), req('/nc/a/b', '/nc/a%2Fb?x=%20'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://h/echo/a%2Fb?x=%20', nocanon: true });
  });
  test('raw and decoded URIs match at different lengths → nocanon dropped (AH01136)', () => {
    const r = matchRule(prefix('/a b', 'http://h', { nocanon: true }), req('/a b/x', '/a%20b/x'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://h/x', nocanon: false });
    expect(r && r.kind === 'proxy' ? r.warning : '').toMatch(/AH01136/);
  });
  test('regex nocanon substitutes from the raw URI', () => {
    const r = matchRule(regex('^/r/(.*)$', 'http://h/$1', { nocanon: true }), req('/r/a/b', '/r/a%2Fb?q'));
    expect(r).toMatchObject({ url: 'http://h/a%2Fb?q', nocanon: true });
  });
});

describe('interpolate', () => {
  const env = new Map([['BACK', 'b1.internal'], ['P', '/app']]);
  test('interpolate(): known, unknown, unterminated', () => {
    expect(interpolate('http://${BACK}${NOPE}/x${', env)).toBe('http://b1.internal/x${');
  });
  test('applies only with ProxyPassInterpolateEnv On and the interpolate flag', () => {
    const rule = prefix('${P}', 'http://${BACK}/', { interpolate: true });
    expect(matchRule(rule, { ...req('/app/x'), env, interpolateEnv: true })).toMatchObject({ url: 'http://b1.internal//x' });
    expect(matchRule(rule, { ...req('/app/x'), env, interpolateEnv: false })).toBeNull();
  });
});

describe('mapping=servlet (alias_match_servlet)', () => {
  test.each([
    ['/app;jsessionid=1/x', '/app', 4, '/app/x'],
    ['/app/./x', '/app', 4, '/app/x'],
    ['//app//x', '/app', 6, '/app/x'], // remainder '/x'
    ['/x/../app/y', '/app', 9, '/app/y'],
    ['/apps/x', '/app', 0, '/apps/x'],
    ['/../app', '/app', 0, '/../app'],
  ])('%s with %s → len %d', (uri, alias, len, norm) => {
    const r = aliasMatchServlet(uri, alias);
    expect(r.len).toBe(len);
    if (len) expect(r.normalised).toBe(norm);
  });
  test('a servlet match rewrites r->uri; parameters of the last alias segment are kept', () => {
    const r = matchRule(prefix('/app', 'http://h/app', { mapping: 'servlet' }), req('/app;a=b/x'));
    expect(r).toMatchObject({ kind: 'proxy', url: 'http://h/app;a=b/x', newUri: '/app/x' });
    const r2 = matchRule(prefix('/app/', 'http://h/', { mapping: 'servlet' }), req('/app;a=b/x'));
    expect(r2).toMatchObject({ kind: 'proxy', url: 'http://h/x' });
  });
});
