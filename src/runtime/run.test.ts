/**
 * featherd end to end, in-process: a config file in a temp dir, started with startRuntime on
 * real sockets on 127.0.0.1, real backends. Expected behaviour was checked against
 * httpd 2.4.71 (notes/proxy-semantics.md and the comments of each test).
 */
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { httpBackend, rawExchange, until, type Backend } from '../modules/proxy/runtime/forward.testkit.js';
import type { FeatherServer } from './run.js';
import { freePort, startFromConfig, tempDir as makeTempDir } from './testkit.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

function tempDir(): string {
  const dir = makeTempDir('featherd-run-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const HEAD = `LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so
LoadModule env_module /usr/lib/apache2/modules/mod_env.so
`;

interface Started {
  server: FeatherServer;
  port: number;
  dir: string;
  conf: string;
  stderr: string[];
}

async function start(body: (port: number, dir: string) => string): Promise<Started> {
  const dir = tempDir();
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(conf, `ServerRoot "${dir}"\n${HEAD}Listen 127.0.0.1:${port}\nPidFile ${dir}/httpd.pid\nErrorLog ${dir}/error.log\n${body(port, dir)}`);
  const stderr: string[] = [];
  const r = await startFromConfig(conf, dir, (s) => stderr.push(s));
  if (!r.ok) throw new Error(r.error);
  cleanup.push(() => r.value.stop());
  return { server: r.value, port, dir, conf, stderr };
}

/** A backend answering with what it received as JSON; `/status/N` answers N, `/redirect` a 302. */
async function echoBackend(name = 'b'): Promise<Backend> {
  const b = await httpBackend((req, res) => {
    const st = /\/status\/(\d+)/.exec(req.url ?? '');
    if (st) {
      res.writeHead(Number(st[1]), { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Basic realm="b"' });
      res.end(`backend ${st[1]}\n`);
      return;
    }
    if ((req.url ?? '').includes('/redirect')) {
      res.writeHead(302, { Location: `http://127.0.0.1:${(req.socket.address() as AddressInfo).port}/inner/landing` });
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ name, url: req.url, headers: req.headers }));
  });
  cleanup.push(() => b.close());
  return b;
}

function get(port: number, uri: string, host = 'localhost', extra = ''): ReturnType<typeof rawExchange> {
  return rawExchange(port, `GET ${uri} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
}

function json(r: { body: Buffer }): { name: string; url: string; headers: Record<string, string> } {
  return JSON.parse(r.body.toString());
}

describe('serving a configuration', () => {
  test('vhost by Host; Location ProxyPass before server rules; main-server rules first; exclusions; ProxyPassMatch', async () => {
    const a = await echoBackend('a');
    const b = await echoBackend('b');
    const s = await start(
      (port) => `ServerName main.test
ProxyPass /common http://127.0.0.1:${a.port}/main-common
<VirtualHost *:${port}>
  ServerName one.test
  ProxyPass /app/private !
  ProxyPass /app http://127.0.0.1:${a.port}/inner
  ProxyPass /common http://127.0.0.1:${b.port}/vhost-common
  ProxyPassMatch "^/img/(.*)\\.png$" "http://127.0.0.1:${b.port}/images/$1"
  ProxyPassMatch "\\.gif$" "http://127.0.0.1:${b.port}"
  <Location /app/special>
    ProxyPass http://127.0.0.1:${b.port}/special
  </Location>
</VirtualHost>
<VirtualHost *:${port}>
  ServerName two.test
  ServerAlias *.two.test
  ProxyPass / http://127.0.0.1:${b.port}/two/
</VirtualHost>
`,
    );
    const p = s.port;
    expect(json(await get(p, '/app/x%20y?q=1', 'one.test'))).toMatchObject({ name: 'a', url: '/inner/x%20y?q=1' });
    // The Location's ProxyPass is tried before the server's list.
    expect(json(await get(p, '/app/special/z', 'one.test'))).toMatchObject({ name: 'b', url: '/special/z' });
    // An exclusion before the general rule: not proxied, httpd's 404 page.
    const excluded = await get(p, '/app/private/x', 'one.test');
    expect(excluded.status).toBe(404);
    expect(excluded.body.toString()).toContain('The requested URL was not found on this server.');
    // Main-server rules come first, even in a vhost that has its own rule for the path.
    expect(json(await get(p, '/common/1', 'one.test'))).toMatchObject({ name: 'a', url: '/main-common/1' });
    expect(json(await get(p, '/img/cat.png', 'one.test'))).toMatchObject({ url: '/images/cat' });
    // No $N in the URL: the whole URI is appended.
    expect(json(await get(p, '/dir/x.gif', 'one.test'))).toMatchObject({ url: '/dir/x.gif' });
    // Name-based selection, wildcard alias, and the first vhost as the default.
    expect(json(await get(p, '/q', 'two.test'))).toMatchObject({ url: '/two/q' });
    expect(json(await get(p, '/q', 'www.two.test'))).toMatchObject({ url: '/two/q' });
    expect(json(await get(p, '/app/q', 'unknown.test'))).toMatchObject({ url: '/inner/q' });
    // fix_hostname rejects a malformed Host with 400.
    expect((await get(p, '/app', 'a..b')).status).toBe(400);
  });

  test('request headers: X-Forwarded-*, ProxyPreserveHost, ProxyVia; ProxyPassReverse on redirects', async () => {
    const b = await echoBackend();
    const s = await start(
      (port) => `ServerName front.test
ProxyVia On
<VirtualHost *:${port}>
  ServerName front.test
  ProxyPass /keep/ http://127.0.0.1:${b.port}/
  ProxyPass /pub http://127.0.0.1:${b.port}/inner
  ProxyPassReverse /pub http://127.0.0.1:${b.port}/inner
  <Location /keep/>
    ProxyPreserveHost On
  </Location>
</VirtualHost>
`,
    );
    const plain = json(await get(s.port, '/pub/x', 'Front.test:' + s.port, 'X-Forwarded-For: 9.9.9.9\r\n'));
    expect(plain.headers.host).toBe(`127.0.0.1:${b.port}`);
    expect(plain.headers['x-forwarded-for']).toBe('9.9.9.9, 127.0.0.1');
    expect(plain.headers['x-forwarded-host']).toBe(`Front.test:${s.port}`);
    expect(plain.headers['x-forwarded-server']).toBe('front.test');
    expect(plain.headers.via).toBe(`1.1 front.test:${s.port}`);
    // ProxyPreserveHost: the client's Host verbatim.
    expect(json(await get(s.port, '/keep/x', `Front.test:${s.port}`)).headers.host).toBe(`Front.test:${s.port}`);
    // httpd (ap_get_server_port): the Host's port, here none, so none in the Location either;
    // with a port in Host, that port.
    const r = await get(s.port, '/pub/redirect', 'front.test');
    expect(r.status).toBe(302);
    expect(r.headers).toContainEqual(['Location', 'http://front.test/pub/landing']);
    const rp = await get(s.port, '/pub/redirect', `front.test:${s.port}`);
    expect(rp.headers).toContainEqual(['Location', `http://front.test:${s.port}/pub/landing`]);
  });

  test('ProxyErrorOverride with ErrorDocument text and local URL; 401 keeps WWW-Authenticate', async () => {
    const b = await echoBackend();
    const s = await start(
      (port) => `ServerName localhost
<VirtualHost *:${port}>
  ProxyPass /errdoc/ http://127.0.0.1:${b.port}/pages/
  ProxyPass / http://127.0.0.1:${b.port}/
  ErrorDocument 500 "Something broke"
  ErrorDocument 404 /errdoc/missing.html
  <Location /eo>
    ProxyErrorOverride On
  </Location>
  <Location /only503>
    ProxyErrorOverride On 503
  </Location>
</VirtualHost>
`,
    );
    // httpd 2.4.71: 500 Internal Server Error, body "Something broke" (11 bytes in its test), text/html; charset=iso-8859-1, Connection: close.
    const text = await get(s.port, '/eo/status/500');
    expect(text.status).toBe(500);
    expect(text.body.toString()).toBe('Something broke');
    expect(text.headers).toContainEqual(['Content-Type', 'text/html; charset=iso-8859-1']);
    expect(text.headers).toContainEqual(['Connection', 'close']);
    // httpd 2.4.71: a proxied local ErrorDocument is sent with its own status (200).
    const local = await get(s.port, '/eo/status/404');
    expect(local.status).toBe(200);
    expect(json(local).url).toBe('/pages/missing.html');
    // 401: httpd's page, with the backend's WWW-Authenticate.
    const auth = await get(s.port, '/eo/status/401');
    expect(auth.status).toBe(401);
    expect(auth.body.toString()).toContain('<title>401 Unauthorized</title>');
    expect(auth.headers).toContainEqual(['WWW-Authenticate', 'Basic realm="b"']);
    // Without override, or for a status not listed, the backend's own response passes.
    const passed = await get(s.port, '/status/500');
    expect(passed.body.toString()).toBe('backend 500\n');
    expect((await get(s.port, '/only503/status/500')).body.toString()).toBe('backend 500\n');
    expect((await get(s.port, '/only503/status/503')).body.toString()).toContain('Service Unavailable');
  });

  test('SetEnvIf: proxy-nokeepalive closes backend connections, no-proxy stops ProxyPass', async () => {
    const b = await echoBackend();
    const s = await start(
      () => `ServerName localhost
SetEnvIf Request_URI "^/nk/" proxy-nokeepalive
SetEnvIf X-Skip "yes" no-proxy
ProxyPass / http://127.0.0.1:${b.port}/
`,
    );
    const reused = json(await get(s.port, '/ka/1'));
    expect(reused.headers.connection).toBe('keep-alive');
    await get(s.port, '/ka/2');
    const acceptedBefore = b.accepted();
    const nk = json(await get(s.port, '/nk/1'));
    expect(nk.headers.connection).toBe('close');
    await get(s.port, '/nk/2');
    // Each nokeepalive request needed a connection of its own.
    expect(b.accepted() - acceptedBefore).toBeGreaterThanOrEqual(1);
    await until(() => b.open() <= 1);
    const skipped = await get(s.port, '/x', 'localhost', 'X-Skip: yes\r\n');
    expect(skipped.status).toBe(404);
  });

  test('access log lines and error log lines', async () => {
    const b = await echoBackend();
    const dead = await freePort();
    const s = await start(
      (port, dir) => `ServerName localhost
LogLevel warn proxy:info
LogFormat "%v %h \\"%r\\" %>s %b %f" mine
CustomLog ${dir}/access.log mine
CustomLog "|/bin/cat >> ${dir}/piped.log" "%>s %U"
<VirtualHost *:${port}>
  ServerName v.test
  ProxyPass /dead/ http://127.0.0.1:${dead}/
  ProxyPass /local !
  ProxyPass / http://127.0.0.1:${b.port}/
</VirtualHost>
`,
    );
    const ok = await get(s.port, '/a?b=1', 'v.test');
    const down = await get(s.port, '/dead/x', 'v.test');
    expect(down.status).toBe(503);
    const log = path.join(s.dir, 'access.log');
    await until(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8').split('\n').length >= 3);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(`v.test 127.0.0.1 "GET /a?b=1 HTTP/1.1" 200 ${ok.body.length} proxy:http://127.0.0.1:${b.port}/a?b=1`);
    expect(lines[1]).toBe(`v.test 127.0.0.1 "GET /dead/x HTTP/1.1" 503 ${down.body.length} proxy:http://127.0.0.1:${dead}/x`);
    const errors = fs.readFileSync(path.join(s.dir, 'error.log'), 'utf8');
    expect(errors).toMatch(/^\[\w{3} \w{3} \d\d \d\d:\d\d:\d\d\.\d{6} \d{4}\] \[mpm_event:notice\] \[pid \d+:tid \d+\] AH00489: /m);
    expect(errors).toMatch(/\[proxy:error\] \[pid \d+:tid \d+\] \[client 127\.0\.0\.1:\d+\] AH00957: http: attempt to connect to 127\.0\.0\.1:\d+ failed/);
    // LogLevel warn for core: its info-level "File does not exist" is not written.
    expect((await get(s.port, '/local', 'v.test')).status).toBe(404);
    expect(fs.readFileSync(path.join(s.dir, 'error.log'), 'utf8')).not.toContain('AH00128');
    // A piped log: the program gets one line per request on its standard input.
    const piped = path.join(s.dir, 'piped.log');
    await until(() => fs.existsSync(piped) && fs.readFileSync(piped, 'utf8').split('\n').length >= 3);
    expect(fs.readFileSync(piped, 'utf8').split('\n').slice(0, 2)).toEqual(['200 /a', '503 /dead/x']);
  });

  test('ProxyVia Full names featherd and its version in the comment, or FEATHERD_VIA_COMMENT', async () => {
    const b = await echoBackend();
    const version = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
    const s = await start(() => `ServerName front.test\nProxyVia Full\nProxyPass / http://127.0.0.1:${b.port}/\n`);
    expect(json(await get(s.port, '/v', `front.test:${s.port}`)).headers.via).toBe(`1.1 front.test:${s.port} (featherd/${version})`);
    process.env.FEATHERD_VIA_COMMENT = 'edge-7';
    try {
      expect(await s.server.reload()).toEqual({ ok: true });
    } finally {
      delete process.env.FEATHERD_VIA_COMMENT;
    }
    expect(json(await get(s.port, '/v', 'front.test')).headers.via).toBe('1.1 front.test (edge-7)');
  });

  test('LogLevel inside <Location> applies to the requests it covers (httpd: AH00128 at info only there)', async () => {
    const s = await start(
      (_port, dir) => `ServerName localhost
LogLevel warn
DocumentRoot "${dir}"
<Location "/dbg/">
  LogLevel info
</Location>
`,
    );
    expect((await get(s.port, '/other/missing')).status).toBe(404);
    expect((await get(s.port, '/dbg/missing')).status).toBe(404);
    const errors = path.join(s.dir, 'error.log');
    await until(() => fs.readFileSync(errors, 'utf8').includes('AH00128'));
    const lines = fs.readFileSync(errors, 'utf8').split('\n').filter((l) => l.includes('AH00128'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[core:info\] .*AH00128: File does not exist: .*\/dbg\/missing$/);
  });

  test('reload: a broken config is refused and the old one keeps serving; a good one takes over; in-flight requests finish', async () => {
    const b = await echoBackend('old');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = await httpBackend(async (_req, res) => {
      await gate;
      res.end('slow done');
    });
    cleanup.push(() => slow.close());
    const n = await echoBackend('new');
    const s = await start(() => `ServerName localhost\nProxyPass /slow http://127.0.0.1:${slow.port}/\nProxyPass / http://127.0.0.1:${b.port}/\n`);
    const before = s.server.current().generation;
    const inflight = get(s.port, '/slow');
    await until(() => slow.accepted() > 0);

    const good = fs.readFileSync(s.conf, 'utf8');
    fs.writeFileSync(s.conf, good + 'ProxyPass /broken\n');
    const refused = await s.server.reload();
    expect(refused.ok).toBe(false);
    expect(s.server.current().generation).toBe(before);
    expect(json(await get(s.port, '/x')).name).toBe('old');
    expect(fs.readFileSync(path.join(s.dir, 'error.log'), 'utf8')).toContain('configuration not reloaded');

    fs.writeFileSync(s.conf, good.replace(`http://127.0.0.1:${b.port}/`, `http://127.0.0.1:${n.port}/`));
    expect(await s.server.reload()).toEqual({ ok: true });
    expect(s.server.current().generation).toBe(before + 1);
    expect(json(await get(s.port, '/x')).name).toBe('new');

    release();
    const r = await inflight;
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('slow done');
  });

  test('reload: a config with what featherd cannot serve (RewriteMap prg:) is refused like a broken one', async () => {
    const b = await echoBackend('old');
    const s = await start(() => `ServerName localhost\nProxyPass / http://127.0.0.1:${b.port}/\n`);
    const before = s.server.current().generation;
    const good = fs.readFileSync(s.conf, 'utf8');
    fs.writeFileSync(
      s.conf,
      good.replace('LoadModule env_module', 'LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\nLoadModule env_module') +
        'RewriteEngine On\nRewriteMap up prg:/bin/cat\n',
    );
    const refused = await s.server.reload();
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error).toMatch(/httpd\.conf:\d+:\d+: error: .*prg.*\[unsupported\]/);
      expect(refused.error).toContain('Configuration check failed');
    }
    expect(s.server.current().generation).toBe(before);
    expect(json(await get(s.port, '/x')).name).toBe('old');
  });

  test('<LocationMatch> ProxyPass with $N; interpolate with ProxyPassInterpolateEnv; nocanon; worker timeout= → 502', async () => {
    const b = await echoBackend();
    const silent = await httpBackend(() => {
      /* never answers */
    });
    cleanup.push(() => silent.close());
    const s = await start(
      (port) => `ServerName localhost
SetEnvIf Request_URI "^/i/(\\w+)" TENANT=$1
<VirtualHost *:${port}>
  ProxyPassInterpolateEnv On
  ProxyPass /i/ http://127.0.0.1:${b.port}/tenant-\${TENANT}/ interpolate
  ProxyPass /raw/ http://127.0.0.1:${b.port}/raw/ nocanon
  ProxyPass /cooked/ http://127.0.0.1:${b.port}/cooked/
  ProxyPass /slow/ http://127.0.0.1:${silent.port}/ timeout=1
  <LocationMatch "^/lm/(.*)$">
    ProxyPass http://127.0.0.1:${b.port}/x/$1
  </LocationMatch>
  <LocationMatch "^/lm2/">
    ProxyPass http://127.0.0.1:${b.port}/y
  </LocationMatch>
  <LocationMatch "^/lm3/.*">
    ProxyPass http://127.0.0.1:${b.port}/y
  </LocationMatch>
</VirtualHost>
`,
    );
    expect(json(await get(s.port, '/lm/foo/bar')).url).toBe('/x/foo/bar');
    // Without $N the whole URI is appended (notes/proxy-semantics.md §2).
    expect(json(await get(s.port, '/lm3/z')).url).toBe('/y/lm3/z');
    // httpd 2.4.71: a LocationMatch pattern without *?[ is used as a literal prefix by ProxyPass: 404.
    expect((await get(s.port, '/lm2/z')).status).toBe(404);
    expect(json(await get(s.port, '/i/acme/page')).url).toBe('/tenant-acme/acme/page');
    // nocanon: the raw request-target, as sent; without it the path is decoded and re-encoded.
    expect(json(await get(s.port, '/raw/a%2Cb%7e?x=%20')).url).toBe('/raw/a%2Cb%7e?x=%20');
    expect(json(await get(s.port, '/cooked/a%2Cb%7e?x=%20')).url).toBe('/cooked/a,b~?x=%20');
    // httpd 2.4.71: a backend that does not answer within timeout= gives 502 "Error reading from remote server".
    const slow = await get(s.port, '/slow/x');
    expect(slow.status).toBe(502);
    expect(slow.head).toMatch(/^HTTP\/1.1 502 Proxy Error/);
    expect(slow.body.toString()).toContain('Reason: <strong>Error reading from remote server</strong>');
  });

  test('reload binds new Listen addresses and closes dropped ones; IPv6 loopback', async () => {
    const b = await echoBackend();
    const s = await start(() => `ServerName localhost\nProxyPass / http://127.0.0.1:${b.port}/\n`);
    const extra = await freePort();
    const conf = fs.readFileSync(s.conf, 'utf8');
    fs.writeFileSync(s.conf, conf + `Listen [::1]:${extra}\n`);
    expect(await s.server.reload()).toEqual({ ok: true });
    expect(s.server.addresses()).toHaveLength(2);
    const v6 = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(extra, '::1', () => sock.write('GET /v6 HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n'));
      let data = '';
      sock.on('data', (d) => (data += d));
      sock.on('error', reject);
      sock.on('close', () => resolve(data));
    });
    expect(v6).toMatch(/^HTTP\/1.1 200 OK/);
    expect(v6).toContain('"x-forwarded-for":"::1"');
    fs.writeFileSync(s.conf, conf.replace(`Listen 127.0.0.1:${s.port}\n`, '') + `Listen [::1]:${extra}\n`);
    expect(await s.server.reload()).toEqual({ ok: true });
    expect(s.server.addresses()).toEqual([{ host: '::1', port: extra }]);
    // The dropped address no longer accepts connections.
    await expect(get(s.port, '/gone')).resolves.toMatchObject({ status: 0 });
  });

  test('reload: listeners kept across it take the new KeepAlive and LimitRequestLine', async () => {
    const b = await echoBackend();
    const s = await start(() => `ServerName localhost\nKeepAlive On\nProxyPass / http://127.0.0.1:${b.port}/\n`);
    /** The Connection header of the answer to a keep-alive request, and its status. */
    const ask = (target: string) =>
      new Promise<{ status: number; connection: string }>((resolve, reject) => {
        const sock = net.connect(s.port, '127.0.0.1', () => sock.write(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n`));
        let data = '';
        const timer = setTimeout(() => (sock.destroy(), reject(new Error('no answer in time'))), 5000);
        sock.on('data', (d) => {
          data += d;
          const end = data.indexOf('\r\n\r\n');
          if (end < 0) return;
          clearTimeout(timer);
          sock.destroy();
          const head = data.slice(0, end);
          resolve({ status: Number(head.split(' ')[1]), connection: /\r\nConnection: ([^\r]*)/i.exec(head)?.[1] ?? '' });
        });
        sock.on('error', reject);
      });
    expect(await ask('/a')).toEqual({ status: 200, connection: 'Keep-Alive' });
    expect((await ask(`/${'x'.repeat(100)}`)).status).toBe(200);
    const conf = fs.readFileSync(s.conf, 'utf8');
    fs.writeFileSync(s.conf, conf.replace('KeepAlive On', 'KeepAlive Off\nLimitRequestLine 64'));
    expect(await s.server.reload()).toEqual({ ok: true });
    expect(await ask('/b')).toEqual({ status: 200, connection: 'close' });
    expect((await ask(`/${'x'.repeat(100)}`)).status).toBe(414);
  });

  test('worker parameters and header directives: disablereuse, max, ProxyAddHeaders Off, ProxyMaxForwards, Max-Forwards 0', async () => {
    const b = await echoBackend();
    const s = await start(
      (port) => `ServerName localhost
ProxyMaxForwards 7
<VirtualHost *:${port}>
  ProxyPass /dr/ http://127.0.0.1:${b.port}/dr/ disablereuse=On
  ProxyPass /one/ http://127.0.0.1:${b.port}/one/ max=1 ttl=5
  ProxyPass / http://127.0.0.1:${b.port}/
  <Location /plain/>
    ProxyAddHeaders Off
  </Location>
</VirtualHost>
`,
    );
    expect(json(await get(s.port, '/dr/x')).headers.connection).toBe('close');
    const one = await Promise.all([get(s.port, '/one/a'), get(s.port, '/one/b'), get(s.port, '/one/c')]);
    expect(one.map((r) => json(r).url)).toEqual(['/one/a', '/one/b', '/one/c']);
    const plain = json(await get(s.port, '/plain/x'));
    expect(plain.headers['x-forwarded-for']).toBeUndefined();
    expect(plain.headers['max-forwards']).toBe('7');
    expect(json(await get(s.port, '/x', 'localhost', 'Max-Forwards: 3\r\n')).headers['max-forwards']).toBe('2');
    // httpd: Max-Forwards 0 on GET → 400 "Max-Forwards has reached zero - proxy loop?"
    const loop = await get(s.port, '/x', 'localhost', 'Max-Forwards: 0\r\n');
    expect(loop.status).toBe(400);
    expect(loop.body.toString()).toContain('Max-Forwards has reached zero - proxy loop?');
  });

  test('a config without Listen, or with a log file that cannot be opened, is an error with its location', async () => {
    const dir = tempDir();
    const conf = path.join(dir, 'httpd.conf');
    fs.writeFileSync(conf, `ServerRoot "${dir}"\n${HEAD}ErrorLog ${dir}/error.log\n`);
    const r = await startFromConfig(conf, dir);
    expect(r.ok).toBe(false);
    // httpd 2.4.71 prints the first two lines and exits 1.
    if (!r.ok) expect(r.error).toBe(`no listening sockets available, shutting down\nAH00015: Unable to open logs\nfeatherd: no Listen directive in ${conf}`);
    const port = await freePort();
    fs.writeFileSync(conf, `ServerRoot "${dir}"\n${HEAD}Listen 127.0.0.1:${port}\nErrorLog ${dir}/error.log\nCustomLog ${dir}/no/such/dir/access.log common\n`);
    const r2 = await startFromConfig(conf, dir);
    expect(r2.ok).toBe(false);
    if (!r2.ok) {
      expect(r2.error).toContain(`(2)No such file or directory: AH00649: could not open transfer log file ${dir}/no/such/dir/access.log.`);
      expect(r2.error).toContain(`AH00015: Unable to open logs\nfeatherd: CustomLog at ${conf}:9`);
    }
  });

  test('LimitRequestBody defaults to 1 GiB for what featherd answers itself, as in httpd 2.4.71', async () => {
    const s = await start((_port, dir) => `DocumentRoot "${dir}"\n`);
    fs.writeFileSync(path.join(s.dir, 'f.txt'), 'file\n');
    const ask = (length: number) =>
      rawExchange(s.port, `POST /f.txt HTTP/1.1\r\nHost: x\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`, 5000);
    // Over the limit: answered at once, the body never read.
    const over = await ask(1073741825);
    expect(over.status).toBe(413);
    expect(over.body.toString()).toContain('the request exceeds the capacity limit.');
    expect(over.headers.some(([n]) => n.toLowerCase() === 'content-length')).toBe(false);
  });

  test('a PidFile that cannot be written stops the start with httpd\'s AH00099, and the port is let go', async () => {
    // httpd 2.4.71 does not make the PidFile's directory: "(2)No such file or directory:
    // AH00099: could not create …" (with its temporary file's name), then AH00100, exit 1.
    const dir = tempDir();
    const conf = path.join(dir, 'httpd.conf');
    const port = await freePort();
    const pidFile = `${dir}/no/such/dir/httpd.pid`;
    fs.writeFileSync(conf, `ServerRoot "${dir}"\n${HEAD}Listen 127.0.0.1:${port}\nPidFile ${pidFile}\nErrorLog ${dir}/error.log\n`);
    const r = await startFromConfig(conf, dir);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBe(`(2)No such file or directory: AH00099: could not create ${pidFile}\nAH00100: featherd: could not log pid to file ${pidFile}`);
    }
    expect(fs.existsSync(path.dirname(pidFile))).toBe(false);
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
});
