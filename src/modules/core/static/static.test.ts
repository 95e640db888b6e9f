/**
 * Local content end to end: files in a temp dir served by featherd on a real socket. The
 * expected answers are httpd 2.4.71's (the runtime conformance cases static-*, alias-redirect,
 * dir-index-options and mime-types hold the recordings).
 */
import fs from 'node:fs';
import path from 'node:path';
import { httpBackend } from '../../proxy/runtime/forward.testkit.js';
import { fileEtag } from './etag.js';
import { siteCleanup, startSite } from './testing.js';

const { site, backends, cleanup } = siteCleanup();
afterEach(cleanup);

const DOCS = {
  'htdocs/a.txt': 'hello world\n',
  'htdocs/sub/index.html': '<h1>idx</h1>\n',
  'htdocs/noindex/f.css': 'x{}\n',
  'htdocs/static/app.css': 'body{}\n',
  'mime.types': '# types\ntext/plain txt\ntext/html html htm\ntext/css css\n',
};

describe('the core default handler', () => {
  test('a file: ETag as httpd makes it (size-mtime in hex), Last-Modified, type from TypesConfig', async () => {
    const s = await site(DOCS, () => '', ['mime', 'dir']);
    const r = await s.get('/a.txt');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('hello world\n');
    const stat = fs.statSync(path.join(s.dir, 'htdocs/a.txt'), { bigint: true });
    expect(s.header(r, 'ETag')).toBe(fileEtag(stat));
    expect(s.header(r, 'ETag')).toBe('"c-60dedc04dd340"');
    expect(s.header(r, 'Last-Modified')).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(s.header(r, 'Content-Type')).toBe('text/plain');
    expect(s.header(r, 'Accept-Ranges')).toBe('bytes');
    expect(s.header(r, 'Cache-Control')).toBeUndefined();
  });

  test('conditional requests and ranges', async () => {
    const s = await site(DOCS, () => '', ['mime']);
    const notModified = await s.get('/a.txt', { 'If-None-Match': '"c-60dedc04dd340"' });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect((await s.get('/a.txt', { 'If-Modified-Since': 'Tue, 02 Jan 2024 03:04:05 GMT' })).status).toBe(304);
    const part = await s.get('/a.txt', { Range: 'bytes=0-3' });
    expect(part.status).toBe(206);
    expect(part.body.toString()).toBe('hell');
    expect(s.header(part, 'Content-Range')).toBe('bytes 0-3/12');
    const stale = await s.get('/a.txt', { Range: 'bytes=0-1', 'If-Range': '"other"' });
    expect(stale.status).toBe(200);
    const unsat = await s.get('/a.txt', { Range: 'bytes=50-60' });
    expect(unsat.status).toBe(416);
    expect(unsat.body.toString()).toContain('None of the range-specifier values');
    const failed = await s.get('/a.txt', { 'If-Match': '"nope"' });
    expect(failed.status).toBe(412);
    expect(s.header(failed, 'ETag')).toBe('"c-60dedc04dd340"');
  });

  test('missing files, path info, methods', async () => {
    const s = await site(DOCS, () => '', ['mime']);
    expect((await s.get('/nothere')).status).toBe(404);
    expect((await s.get('/a.txt/more')).status).toBe(404);
    const del = await s.get('/a.txt', {}, 'DELETE');
    expect(del.status).toBe(405);
    expect(s.header(del, 'Allow')).toBe('GET,POST,OPTIONS,HEAD,TRACE');
    const opt = await s.get('/a.txt', {}, 'OPTIONS');
    expect(opt.status).toBe(200);
    expect(s.header(opt, 'Content-Type')).toBe('text/plain');
    const head = await s.get('/a.txt', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(s.header(head, 'Content-Length')).toBe('12');
    expect(head.body.length).toBe(0);
  });

  test('directories: 301 to the slash, DirectoryIndex, 403 without an index (mod_autoindex, no Indexes), listing with Indexes', async () => {
    const s = await site({ ...DOCS, 'htdocs/listed/f.txt': 'f' }, (_p, dir) => `<Directory "${dir}/htdocs/listed">\n Options Indexes\n</Directory>`, ['mime', 'dir', 'autoindex']);
    const slash = await s.get('/sub?x=1');
    expect(slash.status).toBe(301);
    expect(s.header(slash, 'Location')).toBe(`http://127.0.0.1:${s.port}/sub/?x=1`);
    const index = await s.get('/sub/');
    expect(index.status).toBe(200);
    expect(index.body.toString()).toBe('<h1>idx</h1>\n');
    expect(s.header(index, 'Content-Type')).toBe('text/html');
    expect((await s.get('/noindex/')).status).toBe(403);
    const listing = await s.get('/listed/');
    expect(listing.status).toBe(200);
    expect(listing.body.toString()).toContain('<li><a href="f.txt"> f.txt</a></li>');
  });

  test('without mod_autoindex a directory without an index is a 404; without mod_mime no Content-Type', async () => {
    const s = await site(DOCS, () => '', ['dir']);
    expect((await s.get('/noindex/')).status).toBe(404);
    const r = await s.get('/a.txt');
    expect(r.status).toBe(200);
    expect(s.header(r, 'Content-Type')).toBeUndefined();
  });

  test('Options -FollowSymLinks refuses a symbolic link; <Files> and <Directory> Require', async () => {
    const s = await site(
      { ...DOCS, 'htdocs/secret.txt': 's', 'htdocs/private/p.txt': 'p' },
      (_p, dir) => `<Directory "${dir}/htdocs">\n Options -FollowSymLinks\n</Directory>\n<Files "secret.txt">\n Require all denied\n</Files>\n<Directory "${dir}/htdocs/private">\n Require all denied\n</Directory>`,
      ['mime'],
    );
    fs.symlinkSync('a.txt', path.join(s.dir, 'htdocs/link.txt'));
    expect((await s.get('/link.txt')).status).toBe(403);
    expect((await s.get('/a.txt')).status).toBe(200);
    expect((await s.get('/secret.txt')).status).toBe(403);
    expect((await s.get('/private/p.txt')).status).toBe(403);
  });

  test('`..` in the path never leaves DocumentRoot', async () => {
    const s = await site(DOCS, () => '', ['mime']);
    fs.writeFileSync(path.join(s.dir, 'outside.txt'), 'outside');
    for (const t of ['/../outside.txt', '/%2e%2e/outside.txt', '/sub/../../outside.txt']) {
      const r = await s.get(t);
      expect(r.status).toBe(400);
      expect(r.body.toString()).not.toContain('outside');
    }
  });

  test('ProxyPass /static ! keeps /static local while the rest is proxied', async () => {
    const b = await httpBackend((req, res) => res.end(`backend ${req.url}`));
    backends.push(b);
    const s = await site(DOCS, () => `ProxyPass /static !\nProxyPass / http://127.0.0.1:${b.port}/\n`, ['mime', 'proxy', 'proxy_http']);
    const local = await s.get('/static/app.css');
    expect(local.status).toBe(200);
    expect(local.body.toString()).toBe('body{}\n');
    expect(s.header(local, 'Content-Type')).toBe('text/css');
    expect((await s.get('/static/missing.css')).status).toBe(404);
    const proxied = await s.get('/api/x?y=1');
    expect(proxied.body.toString()).toBe('backend /api/x?y=1');
  });

  test('a missing TypesConfig refuses to start, as httpd (AH01597)', async () => {
    await expect(startSite(DOCS, () => 'TypesConfig nowhere.types', ['mime'])).rejects.toThrow(/AH01597: could not open mime types config file .*nowhere\.types/);
  });
});

describe('mod_alias and mod_dir', () => {
  test('Alias, AliasMatch, Redirect with the rest of the path and the query, RedirectMatch, gone, Location redirect', async () => {
    const s = await site(
      { ...DOCS, 'ftp/pub/a.png': 'PNG', 'ftp/icons/i.txt': 'icon' },
      (_p, dir) =>
        `Alias "/image" "${dir}/ftp/pub"\nAliasMatch "^/icons(/|$)(.*)" "${dir}/ftp/icons$1$2"\nRedirect "/one" "http://example.com/two"\nRedirect gone "/gone"\n` +
        `RedirectMatch "(.*)\\.gif$" "http://other.example.com$1.jpg"\n<Location "/loc">\n Redirect "/elsewhere"\n</Location>`,
      ['mime', 'alias'],
    );
    expect((await s.get('/image/a.png')).body.toString()).toBe('PNG');
    expect((await s.get('/icons/i.txt')).body.toString()).toBe('icon');
    const red = await s.get('/one/x%20y?q=1');
    expect(red.status).toBe(302);
    expect(s.header(red, 'Location')).toBe('http://example.com/two/x%20y?q=1');
    expect(red.body.toString()).toContain('<a href="http://example.com/two/x%20y?q=1">here</a>');
    expect((await s.get('/onetwo')).status).toBe(404);
    expect((await s.get('/gone/x')).status).toBe(410);
    expect(s.header(await s.get('/p/x.gif?a=b'), 'Location')).toBe('http://other.example.com/p/x.jpg?a=b');
    expect(s.header(await s.get('/loc/any'), 'Location')).toBe(`http://127.0.0.1:${s.port}/elsewhere`);
  });

  test('DirectoryIndex order, DirectorySlash Off, DirectoryIndexRedirect, FallbackResource', async () => {
    const s = await site(
      { ...DOCS, 'htdocs/second/index.txt': 'second', 'htdocs/noslash/index.html': 'ns', 'htdocs/redir/index.html': 'r', 'htdocs/app/index.txt': 'app' },
      (_p, dir) =>
        `DirectoryIndex index.html index.txt\n<Directory "${dir}/htdocs/noslash">\n DirectorySlash Off\n</Directory>\n` +
        `<Directory "${dir}/htdocs/redir">\n DirectoryIndexRedirect on\n</Directory>\n<Directory "${dir}/htdocs/app">\n FallbackResource /app/index.txt\n</Directory>`,
      ['mime', 'dir'],
    );
    expect((await s.get('/second/')).body.toString()).toBe('second');
    expect((await s.get('/noslash')).status).toBe(404);
    const r = await s.get('/redir/');
    expect(r.status).toBe(302);
    expect(s.header(r, 'Location')).toBe(`http://127.0.0.1:${s.port}/redir/index.html`);
    expect((await s.get('/app/missing/page')).body.toString()).toBe('app');
  });
});
