/**
 * Forward proxying end to end, on real sockets: featherd in-process, real backends, and an
 * upstream proxy the test starts. What httpd 2.4.71 does here is recorded in the runtime
 * conformance cases fwd-*, connect-* (conformance/runtime/); these tests cover what a
 * one-request-per-connection harness cannot: tunnels, half-close, idle timeouts, chaining.
 */
import { freePort } from '../../../runtime/testkit.js';
import { httpBackend, rawExchange, type Backend } from './forward.testkit.js';
import { connectClient, startFeatherd, tcpBackend, upstreamProxy, type Featherd, type TcpBackend, type Upstream } from './forward-proxy.testkit.js';
import { lintConfigFile } from './lint-check.testkit.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function featherd(body: (port: number, dir: string) => string): Promise<Featherd> {
  const f = await startFeatherd(body);
  cleanup.push(() => f.stop());
  return f;
}

async function echo(): Promise<Backend & { seen: string[] }> {
  const seen: string[] = [];
  const b = await httpBackend((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  cleanup.push(() => b.close());
  return Object.assign(b, { seen });
}

async function tcp(): Promise<TcpBackend> {
  const b = await tcpBackend();
  cleanup.push(() => b.close());
  return b;
}

async function upstream(): Promise<Upstream> {
  const u = await upstreamProxy();
  cleanup.push(() => u.close());
  return u;
}

function get(url: string, extra = ''): string {
  const host = /^[a-z]+:\/\/([^/]+)/.exec(url)?.[1] ?? 'x';
  return `GET ${url} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`;
}

describe('the default configuration is not an open proxy', () => {
  test('without ProxyRequests an absolute URI is served locally and CONNECT is refused', async () => {
    const b = await echo();
    const t = await tcp();
    const f = await featherd(() => `ProxyPass "/rev/" "http://127.0.0.1:${b.port}/"\nAllowCONNECT ${t.port}\n`);
    const r = await rawExchange(f.port, get(`http://127.0.0.1:${b.port}/secret`));
    expect(r.status).toBe(404);
    expect(b.seen).toEqual([]);
    const c = await rawExchange(f.port, `CONNECT 127.0.0.1:${t.port} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n\r\n`);
    expect(c.status).toBe(405);
    expect(c.headers.find(([n]) => n === 'Allow')?.[1]).toBe('GET,POST,OPTIONS,HEAD,TRACE');
    expect(t.connections).toBe(0);
    // The reverse-proxy rule still works for the path of that URL.
    const rev = await rawExchange(f.port, get(`http://127.0.0.1:${b.port}/rev/x`));
    expect(rev.status).toBe(200);
    expect(b.seen).toEqual(['GET /x']);
    expect(lintConfigFile(f.conf)).toEqual([]);
  });

  test('the open-proxy lint rule agrees with what the runtime lets through', async () => {
    const b = await echo();
    const t = await tcp();
    const configs: { name: string; body: string }[] = [
      { name: 'no restriction', body: 'ProxyRequests On\n' },
      { name: 'granted to all', body: 'ProxyRequests On\n<Proxy "*">\n  Require all granted\n</Proxy>\n' },
      { name: 'restricted', body: 'ProxyRequests On\n<Proxy "*">\n  Require ip 10.0.0.0/8\n</Proxy>\n' },
      { name: 'http only', body: 'ProxyRequests On\n<Proxy "http://*">\n  Require ip 10.0.0.0/8\n</Proxy>\n' },
      { name: 'legacy deny', body: 'ProxyRequests On\n<Proxy "*">\n  Order Deny,Allow\n  Deny from all\n</Proxy>\n' },
    ];
    for (const c of configs) {
      const f = await featherd(() => `LoadModule access_compat_module /usr/lib/apache2/modules/mod_access_compat.so\n${c.body}AllowCONNECT ${t.port}\n`);
      const before = t.connections;
      const plain = await rawExchange(f.port, get(`http://127.0.0.1:${b.port}/open`));
      const client = await connectClient(f.port);
      client.sock.write(`CONNECT 127.0.0.1:${t.port} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n\r\n`);
      await client.waitFor((d) => d.includes('\r\n\r\n'));
      client.sock.destroy();
      const open = plain.status === 200 || t.connections > before;
      const warned = lintConfigFile(f.conf).some((d) => d.rule === 'open-proxy');
      expect({ name: c.name, open, warned }).toEqual({ name: c.name, open: warned, warned });
      await f.stop();
    }
  });
});

describe('ProxyRequests On', () => {
  test('absolute URIs are proxied with the raw path, no X-Forwarded-*, Proxy-Authorization kept', async () => {
    const b = await echo();
    const f = await featherd(() => 'ProxyRequests On\n<Proxy "*">\n  Require local\n</Proxy>\n');
    const r = await rawExchange(f.port, get(`http://127.0.0.1:${b.port}/a/%7e%41?x=%20`, 'Proxy-Authorization: Basic Zm9vOmJhcg==\r\n'));
    expect(r.status).toBe(200);
    const got = JSON.parse(r.body.toString()) as { url: string; headers: Record<string, string> };
    expect(got.url).toBe('/a/%7e%41?x=%20');
    expect(got.headers['x-forwarded-for']).toBeUndefined();
    expect(got.headers['proxy-authorization']).toBe('Basic Zm9vOmJhcg==');
  });

  test('a request for this server itself is served locally', async () => {
    const b = await echo();
    const f = await featherd(() => 'ProxyRequests On\n<Proxy "*">\n  Require local\n</Proxy>\n');
    const r = await rawExchange(f.port, get(`http://front.test:${f.port}/local`));
    expect(r.status).toBe(404);
    expect(b.seen).toEqual([]);
  });
});

describe('ProxyRemote and NoProxy', () => {
  test('http targets go to the upstream proxy as absolute URIs, with the configured credentials', async () => {
    const b = await echo();
    const u = await upstream();
    const f = await featherd(() => `ProxyRequests On\nProxyRemote "*" "http://127.0.0.1:${u.port}" "chain:secret"\n<Proxy "*">\n  Require local\n</Proxy>\n`);
    const r = await rawExchange(f.port, get(`http://127.0.0.1:${b.port}/via?q=1`));
    expect(r.status).toBe(200);
    expect(u.requests).toEqual([
      { line: `GET http://127.0.0.1:${b.port}/via?q=1 HTTP/1.1`, proxyAuth: `Basic ${Buffer.from('chain:secret').toString('base64')}`, host: `127.0.0.1:${b.port}` },
    ]);
    expect(b.seen).toEqual(['GET /via?q=1']);
    const got = JSON.parse(r.body.toString()) as { headers: Record<string, string> };
    expect(got.headers['x-via-upstream']).toBe('1');
  });

  test('a reverse-proxied request goes through ProxyRemote too', async () => {
    const b = await echo();
    const u = await upstream();
    const f = await featherd(() => `ProxyRemote "http" "http://127.0.0.1:${u.port}"\nProxyPass "/r/" "http://127.0.0.1:${b.port}/in/"\n`);
    const r = await rawExchange(f.port, `GET /r/x HTTP/1.1\r\nHost: front.test\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(200);
    expect(u.requests.map((x) => x.line)).toEqual([`GET http://127.0.0.1:${b.port}/in/x HTTP/1.1`]);
  });

  test('NoProxy entries connect directly', async () => {
    const b = await echo();
    const u = await upstream();
    const f = await featherd(() => `ProxyRequests On\nProxyRemote "*" "http://127.0.0.1:${u.port}"\nNoProxy 127.0.0.0/8\n<Proxy "*">\n  Require local\n</Proxy>\n`);
    const r = await rawExchange(f.port, get(`http://127.0.0.1:${b.port}/direct`));
    expect(r.status).toBe(200);
    expect(u.requests).toEqual([]);
    expect(b.seen).toEqual(['GET /direct']);
  });

  test('https targets are tunnelled through the upstream proxy with CONNECT', async () => {
    const u = await upstream();
    const f = await featherd(() => `LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\nSSLProxyEngine On\nProxyRequests On\nProxyRemoteMatch "^https:" "http://127.0.0.1:${u.port}"\n<Proxy "*">\n  Require local\n</Proxy>\n`);
    const r = await rawExchange(f.port, get('https://refuse.test:8443/x'));
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(u.connects.map((c) => c.line)).toEqual(['CONNECT refuse.test:8443 HTTP/1.1']);
  });
});

describe('CONNECT', () => {
  const conf = (t: TcpBackend, extra = ''): string => `ProxyRequests On\nAllowCONNECT ${t.port}\n${extra}<Proxy "*">\n  Require local\n</Proxy>\n`;

  test('a tunnel carries bytes both ways and passes a half-close on', async () => {
    const t = await tcp();
    const f = await featherd(() => conf(t));
    const c = await connectClient(f.port);
    c.sock.write(`CONNECT 127.0.0.1:${t.port} HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n\r\n`);
    await c.waitFor((d) => d.includes('\r\n\r\n'));
    expect(c.data()).toBe('HTTP/1.0 200 Connection Established\r\nProxy-agent: featherd\r\n\r\n');
    c.sock.write('hello');
    await c.waitFor((d) => d.endsWith('HELLO'));
    c.sock.end();
    await c.waitFor((d, closed) => d.endsWith('bye') && closed);
    expect(t.received).toEqual(['hello']);
    expect(t.ended).toEqual([true]);
  });

  test('bytes sent right after the CONNECT head reach the backend', async () => {
    const t = await tcp();
    const f = await featherd(() => conf(t));
    const c = await connectClient(f.port);
    c.sock.write(`CONNECT 127.0.0.1:${t.port} HTTP/1.1\r\nHost: x\r\n\r\nearly`);
    await c.waitFor((d) => d.endsWith('EARLY'));
    c.sock.destroy();
  });

  test('an open tunnel outlives a reload, as a graceful restart leaves connections be', async () => {
    const t = await tcp();
    const f = await featherd(() => conf(t));
    const c = await connectClient(f.port);
    c.sock.write(`CONNECT 127.0.0.1:${t.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await c.waitFor((d) => d.includes('\r\n\r\n'));
    c.sock.write('one');
    await c.waitFor((d) => d.endsWith('ONE'));
    expect(await f.server.reload()).toEqual({ ok: true });
    c.sock.write('two');
    await c.waitFor((d) => d.endsWith('TWO'));
    expect(c.closed()).toBe(false);
    expect(t.connections).toBe(1);
    c.sock.destroy();
  });

  test('an idle tunnel is closed after the proxy timeout', async () => {
    const t = await tcp();
    const f = await featherd(() => conf(t, 'ProxyTimeout 1\n'));
    const c = await connectClient(f.port);
    c.sock.write(`CONNECT 127.0.0.1:${t.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await c.waitFor((d) => d.includes('\r\n\r\n'));
    await c.waitFor((_d, closed) => closed, 8000);
    expect(t.connections).toBe(1);
  });

  test('ports outside AllowCONNECT, refused backends and unknown hosts are answered as httpd does', async () => {
    const t = await tcp();
    const closedPort = await freePort();
    const f = await featherd(() => `ProxyRequests On\nAllowCONNECT ${t.port} ${closedPort}\n<Proxy "*">\n  Require local\n</Proxy>\n`);
    const blocked = await rawExchange(f.port, `CONNECT 127.0.0.1:${t.port + 1} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect([blocked.status, blocked.body.toString()]).toEqual([403, expect.stringContaining('Connect to remote machine blocked')]);
    const refused = await rawExchange(f.port, `CONNECT 127.0.0.1:${closedPort} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(refused.status).toBe(503);
    const bad = await rawExchange(f.port, `CONNECT no-such-host.invalid:${t.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect([bad.status, bad.body.toString()]).toEqual([502, expect.stringContaining('DNS lookup failure for: no-such-host.invalid')]);
    expect(t.connections).toBe(0);
  });

  test('through a ProxyRemote the CONNECT line is passed on and the remote answers', async () => {
    const t = await tcp();
    const u = await upstream();
    const f = await featherd(() => conf(t, `ProxyRemote "*" "http://127.0.0.1:${u.port}"\n`));
    const c = await connectClient(f.port);
    c.sock.write(`CONNECT 127.0.0.1:${t.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    await c.waitFor((d) => d.includes('\r\n\r\n'));
    expect(c.data()).toBe('HTTP/1.0 200 OK\r\n\r\n');
    c.sock.write('ping');
    await c.waitFor((d) => d.endsWith('PING'));
    c.sock.destroy();
    expect(u.connects.map((x) => [x.line, x.headers['proxy-agent']])).toEqual([[`CONNECT 127.0.0.1:${t.port} HTTP/1.0`, 'featherd']]);
  });
});
