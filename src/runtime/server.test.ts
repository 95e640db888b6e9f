/**
 * The server core on real sockets: limits and error pages compared byte for byte with what
 * httpd 2.4.71 sent (raw requests to a test instance on 127.0.0.1:19380), the phase order, and
 * the proxy pieces assembled into a pipeline the way a compiled configuration would.
 */
import net from 'node:net';
import { Pipeline, startServer, type RequestContext, type RunningServer } from './server.js';
import { errorPage } from './error-page.js';
import { httpError } from './http-error.js';
import { VhostTable } from './vhost.js';
import { matchPass, type PassRuleSet } from '../modules/proxy/runtime/match.js';
import { canonHttpUrl } from '../modules/proxy/runtime/canon.js';
import { forward } from '../modules/proxy/runtime/forward.js';
import { createWorkerPool } from '../modules/proxy/runtime/pool.js';
import { compileLogFormat } from '../modules/log_config/runtime/format.js';
import { httpBackend, parseResponse, rawExchange, until, type Backend } from '../modules/proxy/runtime/forward.testkit.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function serve(p: Pipeline, extra: Partial<Parameters<typeof startServer>[1]> = {}): Promise<RunningServer> {
  const r = await startServer(p, { listen: [{ host: '127.0.0.1', port: 0 }], ...extra });
  if (!r.ok) throw new Error(r.error);
  cleanup.push(() => r.value.close());
  return r.value;
}

describe('error pages (httpd 2.4.71 bodies)', () => {
  test.each([
    // status, reason, observed Content-Length
    [503, undefined, 339],
    [502, 'Error reading from remote server', 381],
    [500, 'DNS lookup failure for: no-such-host.invalid', 312],
    [404, undefined, 236],
    [414, undefined, 288],
    [502, undefined, 272],
  ])('%d %s → %d bytes', (status, reason, len) => {
    const page = errorPage({ status, method: 'GET', ...(reason ? { reason } : {}) });
    expect(Buffer.byteLength(page.body, 'latin1')).toBe(len);
  });
  test('502 Proxy Error page text', () => {
    expect(errorPage({ status: 502, method: 'GET', reason: 'Error reading from remote server' })).toEqual({
      statusMessage: 'Proxy Error',
      body:
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n<html><head>\n<title>502 Proxy Error</title>\n</head><body>\n<h1>Proxy Error</h1>\n' +
        '<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\nThe proxy server could not handle the request<p>Reason: <strong>Error reading from remote server</strong></p></p>\n</body></html>\n',
    });
  });
});

describe('request limits', () => {
  const p = new Pipeline().register('handler', 'ok', (ctx) => {
    ctx.res.end('ok');
    return 'ok';
  });
  const req = (head: string) => `${head}Connection: close\r\n\r\n`;
  test.each([
    // httpd: 414 Request-URI Too Long (288 bytes)
    ['request line over LimitRequestLine', req(`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n`), 414, 288],
    // httpd: 400 with "Size of a request header field exceeds server limit." (318 bytes)
    ['header field over LimitRequestFieldSize', req(`GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(9000)}\r\n`), 400, 318],
    // httpd: 400 with "The number of request header fields exceeds this server's limit." (330 bytes)
    ['more than LimitRequestFields', req(`GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 101 }, (_, i) => `X-${i}: 1\r\n`).join('')}`), 400, 330],
    // httpd: 400 (266 bytes)
    ['HTTP/1.1 without Host', req('GET / HTTP/1.1\r\n'), 400, 266],
    ['unparsable request', 'GARBAGE\r\n\r\n', 400, 266],
  ])('%s', async (_name, raw, status, len) => {
    const s = await serve(p);
    const r = await rawExchange(s.addresses[0].port, raw);
    expect(r.status).toBe(status);
    expect(r.body.length).toBe(len);
    expect(r.headers).toContainEqual(['Connection', 'close']);
  });
  test('header total beyond what any limit allows → 431', async () => {
    const s = await serve(p, { limits: { fields: 2, fieldSize: 100 } });
    const r = await rawExchange(s.addresses[0].port, req(`GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 200 }, (_, i) => `X-${i}: ${'v'.repeat(90)}\r\n`).join('')}`));
    expect(r.status).toBe(431);
  });
});

describe('pipeline', () => {
  test('phases run in order; run-first phases stop at the first ok; errors become pages', async () => {
    const seen: string[] = [];
    const mark = (name: string, result: 'declined' | 'ok' = 'declined') => (ctx: RequestContext) => {
      seen.push(`${name}:${ctx.uri}`);
      return result;
    };
    const logged: number[] = [];
    const p = new Pipeline()
      .register('post_read', 'pr', mark('post_read'))
      .register('translate', 't1', mark('t1'))
      .register('translate', 't2', mark('t2', 'ok'))
      .register('translate', 't3', mark('t3'))
      .register('map_to_storage', 'm', mark('map'))
      .register('access', 'a', (ctx) => (ctx.uri.startsWith('/deny') ? httpError(403, 'denied') : 'ok'))
      .register('fixups', 'f', mark('fixups'))
      .register('handler', 'h', (ctx) => {
        if (ctx.uri === '/boom') throw new Error('boom');
        ctx.res.end(`hello ${ctx.uri}`);
        return 'ok';
      })
      .register('log', 'l', (ctx) => {
        logged.push(ctx.status);
        return 'ok';
      });
    expect(p.names('translate')).toEqual(['t1', 't2', 't3']);
    const s = await serve(p);
    const port = s.addresses[0].port;
    const ok = await rawExchange(port, 'GET /a/./b%41 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(ok.body.toString()).toBe('hello /a/bA');
    expect(seen).toEqual(['post_read:', 't1:/a/bA', 't2:/a/bA', 'map:/a/bA', 'fixups:/a/bA']);
    const denied = await rawExchange(port, 'GET /deny HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(denied.status).toBe(403);
    expect(denied.body.toString()).toContain("You don't have permission to access this resource.");
    const boom = await rawExchange(port, 'GET /boom HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(boom.status).toBe(500);
    const bad = await rawExchange(port, 'GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(bad.status).toBe(400);
    await until(() => logged.length === 4);
    expect(logged).toEqual([200, 403, 500, 400]);
  });

  test('no handler → 404; several listeners; keep-alive serves several requests on one connection', async () => {
    const p = new Pipeline();
    const r = await startServer(p, { listen: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0 }] });
    if (!r.ok) throw new Error(r.error);
    cleanup.push(() => r.value.close());
    expect(r.value.addresses).toHaveLength(2);
    for (const a of r.value.addresses) expect((await rawExchange(a.port, 'GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(404);
    const data = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      const sock = net.connect(r.value.addresses[0].port, '127.0.0.1', () => sock.write('GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      sock.on('data', (d) => chunks.push(d));
      sock.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
    expect(data.match(/HTTP\/1.1 404 Not Found/g)).toHaveLength(2);
  });

  test('binding an address in use is an error value', async () => {
    const s = await serve(new Pipeline());
    const r = await startServer(new Pipeline(), { listen: [{ host: '127.0.0.1', port: s.addresses[0].port }] });
    expect(r.ok).toBe(false);
  });
});

describe('a reverse proxy assembled from the pieces', () => {
  test('vhost → ProxyPass → canon → forward → access log', async () => {
    const backend: Backend = await httpBackend((req, res) => res.end(`${req.url} host=${req.headers.host} xfs=${req.headers['x-forwarded-server']}`));
    cleanup.push(() => backend.close());
    const pool = createWorkerPool(`http://127.0.0.1:${backend.port}`, { connectTimeoutMs: 2000, timeoutMs: 2000 });
    cleanup.push(() => pool.destroy());
    type Vh = { name: string; rules: PassRuleSet };
    const vhosts: Vh[] = [
      { name: 'a.test', rules: { server: [{ kind: 'prefix', path: '/app', url: `http://127.0.0.1:${backend.port}/inner` }] } },
      { name: 'b.test', rules: { server: [{ kind: 'prefix', path: '/', url: `http://127.0.0.1:${backend.port}/b/` }] } },
    ];
    const table = new VhostTable({ vhosts: vhosts.map((v) => ({ id: v, addrs: [{ ip: '*', port: '*' as const }], names: [v.name], wildcards: [] })) });
    const VH = Symbol('vhost');
    const TARGET = Symbol('target');
    const fmt = compileLogFormat('%v %h "%r" %>s %b %f');
    if (!fmt.ok) throw new Error(fmt.error);
    const lines: string[] = [];
    const p = new Pipeline()
      .register('post_read', 'vhost', (ctx) => {
        const sel = table.forConnection(ctx.conn.localIp, ctx.conn.localPort).forRequest({ host: ctx.req.headers.host, uri: ctx.req.url ?? '/', http11: true });
        if (!sel.ok) return sel.error;
        ctx.data.set(VH, sel.value.id);
        return 'ok';
      })
      .register('translate', 'proxy', (ctx) => {
        const vh = ctx.data.get(VH) as Vh;
        const m = matchPass(vh.rules, { uri: ctx.uri, unparsedUri: ctx.target.unparsed });
        if (m.kind !== 'proxy') return 'declined';
        ctx.filename = `proxy:${m.url}`;
        ctx.handler = 'proxy-server';
        return 'ok';
      })
      .register('fixups', 'proxy-canon', (ctx) => {
        if (!ctx.filename?.startsWith('proxy:')) return 'declined';
        const c = canonHttpUrl(ctx.filename.slice(6), { args: ctx.args });
        if (!c) return httpError(500, 'AH01144: No protocol handler was valid for the URL');
        if (!c.ok) return c.error;
        ctx.filename = `proxy:${c.value.url}`;
        ctx.data.set(TARGET, c.value);
        return 'ok';
      })
      .register('handler', 'proxy', async (ctx) => {
        const target = ctx.data.get(TARGET) as Parameters<typeof forward>[2]['target'] | undefined;
        if (!target) return 'declined';
        const vh = ctx.data.get(VH) as Vh;
        const out = await forward(ctx.req, ctx.res, {
          target,
          dispatcher: pool,
          reuse: true,
          timeoutMs: 2000,
          serverName: vh.name,
          serverPort: ctx.conn.localPort,
          clientIp: ctx.conn.peerIp,
          sendContinue: ctx.sendContinue,
        });
        if (out.kind === 'error') return out.error;
        if (out.kind === 'drop') {
          ctx.req.socket.destroy();
          return 'done';
        }
        return 'ok';
      })
      .register('log', 'access', (ctx) => {
        const vh = ctx.data.get(VH) as Vh | undefined;
        lines.push(
          fmt.value({
            peerIp: ctx.conn.peerIp,
            peerPort: ctx.conn.peerPort,
            localIp: ctx.conn.localIp,
            localPort: ctx.conn.localPort,
            requestTimeUs: ctx.startUs,
            requestLine: ctx.requestLine,
            method: ctx.method,
            protocol: ctx.protocol,
            uri: ctx.uri,
            args: ctx.args,
            status: ctx.status,
            bytesSent: ctx.bytesSent,
            requestHeaders: [],
            responseHeaders: [],
            serverName: vh?.name ?? 'main',
            ...(ctx.filename ? { filename: ctx.filename } : {}),
          }),
        );
        return 'ok';
      });
    const s = await serve(p);
    const port = s.addresses[0].port;
    const a = await rawExchange(port, 'GET /app/x%20y?q=1 HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n');
    expect(a.body.toString()).toBe(`/inner/x%20y?q=1 host=127.0.0.1:${backend.port} xfs=a.test`);
    const b = await rawExchange(port, 'GET /z HTTP/1.1\r\nHost: b.test\r\nConnection: close\r\n\r\n');
    expect(b.body.toString()).toBe(`/b/z host=127.0.0.1:${backend.port} xfs=b.test`);
    const miss = await rawExchange(port, 'GET /nope HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n');
    expect(miss.status).toBe(404);
    const badHost = await rawExchange(port, 'GET /app HTTP/1.1\r\nHost: a..test\r\nConnection: close\r\n\r\n');
    expect(badHost.status).toBe(400);
    await until(() => lines.length === 4);
    const aLen = Buffer.byteLength(a.body);
    expect(lines[0]).toBe(`a.test 127.0.0.1 "GET /app/x%20y?q=1 HTTP/1.1" 200 ${aLen} proxy:http://127.0.0.1:${backend.port}/inner/x%20y?q=1`);
    expect(lines[2]).toMatch(/^a.test 127.0.0.1 "GET \/nope HTTP\/1.1" 404 236 -$/);
    expect(parseResponse(Buffer.from(`HTTP/1.1 200 OK\r\n\r\n`)).status).toBe(200);
  });
});
