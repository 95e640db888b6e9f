/**
 * mod_rewrite at run time, end to end on real sockets with files in a temp dir; expected
 * answers as httpd 2.4.71 gives them (runtime conformance cases rewrite-*).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpBackend, type Backend } from '../proxy/runtime/forward.testkit.js';
import { siteCleanup } from '../core/static/testing.js';
import { defaultRuleFlags } from './parse.js';
import { escapeBackref } from './expand.js';
import { lookupMap, parseMapFile } from './maps.js';
import { cookieHeader } from './runtime.js';

const { site, backends, cleanup } = siteCleanup();
afterEach(cleanup);

async function echo(): Promise<Backend> {
  const b = await httpBackend((req, res) => {
    if (req.url === '/back/go') {
      res.writeHead(302, { Location: `http://127.0.0.1:${b.port}/back/there` });
      res.end();
      return;
    }
    res.end(`backend ${req.url}`);
  });
  backends.push(b);
  return b;
}

const FILES = { 'mime.types': 'text/plain txt\n', 'htdocs/a.txt': 'A\n', 'htdocs/b.txt': 'B\n', 'htdocs/app/new.txt': 'new\n', 'htdocs/based/y.txt': 'y\n' };

describe('pieces', () => {
  test('txt map files: first line for a key, comments and indented lines skipped', () => {
    const m = parseMapFile('# c\nwidget w1\n widget wrong\nwidget w2\ngadget   g2  extra\n');
    expect([...m]).toEqual([['widget', 'w1'], ['gadget', 'g2']]);
  });

  test('a txt map is read again when the file changes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-map-'));
    try {
      const file = path.join(dir, 'm.txt');
      fs.writeFileSync(file, 'k one\n');
      fs.utimesSync(file, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'));
      const def = { name: 'm', type: 'txt' as const, source: file, loc: { file: 'x', line: 1, column: 1 } };
      expect(lookupMap(def, 'k')).toBe('one');
      fs.writeFileSync(file, 'k two\n');
      fs.utimesSync(file, new Date('2024-01-02T00:00:00Z'), new Date('2024-01-02T00:00:00Z'));
      expect(lookupMap(def, 'k')).toBe('two');
      expect(lookupMap(def, 'missing')).toBeNull();
      expect(lookupMap({ ...def, type: 'int', source: 'toupper' }, 'abc')).toBe('ABC');
      expect(lookupMap({ ...def, type: 'int', source: 'escape' }, 'a b')).toBe('a%20b');
      expect(lookupMap({ ...def, type: 'int', source: 'unescape' }, 'a%41')).toBe('aA');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('[B] escaping of back-references, [BNP], B=chars', () => {
    const f = { ...defaultRuleFlags(), escapeBackrefs: true };
    expect(escapeBackref('a b&c/d', f)).toBe('a+b%26c%2fd');
    expect(escapeBackref('a b', { ...f, escapeNoPlus: true })).toBe('a%20b');
    expect(escapeBackref('a b&c', { ...f, escapeChars: '&' })).toBe('a b%26c');
  });

  test('[CO=] cookies as add_cookie writes them', () => {
    expect(cookieHeader('flavor:choc:.example.com:0:/')).toBe('flavor=choc; path=/; domain=.example.com');
    expect(cookieHeader(';n;v;d.test;0;/p;true;1;Lax')).toBe('n=v; path=/p; domain=d.test; secure; HttpOnly; SameSite=Lax');
    expect(cookieHeader('only:two')).toBeNull();
  });
});

describe('server context', () => {
  test('redirects, query handling, status flags, local rewrites', async () => {
    const s = await site(
      FILES,
      () =>
        `RewriteEngine On\nRewriteRule "^/r/(.*)" "http://example.com/n/$1" [R=301,L]\nRewriteRule "^/qsa" "/a.txt?x=1" [QSA,R]\nRewriteRule "^/f" "-" [F]\n` +
        `RewriteRule "^/l/(.*)" "/$1" [L]\nRewriteCond "%{QUERY_STRING}" "id=([0-9]+)"\nRewriteRule "^/item" "/%1.txt?" [R]\nRewriteRule "^/self" "http://front.test:\${PORT}/a.txt"`.replace('${PORT}', '80'),
      ['rewrite', 'mime'],
    );
    const r = await s.get('/r/p?q=1');
    expect(r.status).toBe(301);
    expect(s.header(r, 'Location')).toBe('http://example.com/n/p?q=1');
    expect(s.header(await s.get('/qsa?o=2'), 'Location')).toBe(`http://127.0.0.1:${s.port}/a.txt?x=1&o=2`);
    expect((await s.get('/f')).status).toBe(403);
    expect((await s.get('/l/b.txt')).body.toString()).toBe('B\n');
    expect(s.header(await s.get('/item?id=42'), 'Location')).toBe(`http://127.0.0.1:${s.port}/42.txt`);
  });

  test('[P] makes a proxy request ahead of ProxyPass, and ProxyPassReverse applies to it', async () => {
    const b1 = await echo();
    const b2 = await echo();
    const s = await site(
      FILES,
      () =>
        `RewriteEngine On\nRewriteRule "^/front/(.*)" "http://127.0.0.1:${b1.port}/back/$1" [P]\nRewriteRule "^/via/(.*)" "/proxied/$1" [PT]\n` +
        `ProxyPass "/front/" "http://127.0.0.1:${b2.port}/never/"\nProxyPass "/proxied/" "http://127.0.0.1:${b2.port}/p/"\nProxyPassReverse "/front/" "http://127.0.0.1:${b1.port}/back/"`,
      ['rewrite', 'proxy', 'proxy_http', 'mime'],
    );
    expect((await s.get('/front/a%20b?q=1')).body.toString()).toBe('backend /back/a%20b?q=1');
    const red = await s.get('/front/go');
    expect(red.status).toBe(302);
    expect(s.header(red, 'Location')).toBe(`http://127.0.0.1:${s.port}/front/there`);
    expect((await s.get('/via/x?y=1')).body.toString()).toBe('backend /p/x?y=1');
  });

  test('[P] without mod_proxy is a 403', async () => {
    const s = await site(FILES, () => 'RewriteEngine On\nRewriteRule "^/p/(.*)" "http://127.0.0.1:9/$1" [P]', ['rewrite']);
    expect((await s.get('/p/x')).status).toBe(403);
  });
});

describe('per-directory context', () => {
  test('prefix stripped and put back, RewriteBase, internal redirect, FollowSymLinks required', async () => {
    const s = await site(
      { ...FILES, 'htdocs/nofollow/b.txt': 'nb' },
      (_p, dir) =>
        `<Directory "${dir}/htdocs/app">\n RewriteEngine On\n RewriteRule "^old\\.txt$" "new.txt" [L]\n RewriteRule "^go$" "new.txt" [R=301,L]\n</Directory>\n` +
        `<Directory "${dir}/htdocs/based">\n RewriteEngine On\n RewriteBase "/mounted/"\n RewriteRule "^x$" "y.txt" [R,L]\n</Directory>\n` +
        `<Directory "${dir}/htdocs/nofollow">\n Options -FollowSymLinks\n RewriteEngine On\n RewriteRule "^a$" "b.txt"\n</Directory>`,
      ['rewrite', 'mime'],
    );
    expect((await s.get('/app/old.txt')).body.toString()).toBe('new\n');
    const go = await s.get('/app/go');
    expect(go.status).toBe(301);
    expect(s.header(go, 'Location')).toBe(`http://127.0.0.1:${s.port}${s.dir}/htdocs/app/new.txt`);
    expect(s.header(await s.get('/based/x'), 'Location')).toBe(`http://127.0.0.1:${s.port}/mounted/y.txt`);
    expect((await s.get('/nofollow/a')).status).toBe(403);
  });

  test('per-directory [P] proxies the rewritten URL with the query', async () => {
    const b = await echo();
    const s = await site(
      { ...FILES, 'htdocs/pd/f.txt': 'f' },
      (_p, dir) => `<Directory "${dir}/htdocs/pd">\n RewriteEngine On\n RewriteRule "^(.*)$" "http://127.0.0.1:${b.port}/perdir/$1" [P]\n</Directory>`,
      ['rewrite', 'proxy', 'proxy_http'],
    );
    expect((await s.get('/pd/f.txt?z=1')).body.toString()).toBe('backend /perdir/f.txt?z=1');
  });
});
