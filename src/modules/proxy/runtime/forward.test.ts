/**
 * forward(): real client → front (node:http + forward) → real backend, all on 127.0.0.1.
 * Statuses marked "httpd:" were observed with httpd 2.4.71 (mod_proxy_http, ProxyTimeout 2)
 * in front of the same kind of backend, using curl and raw sockets.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { freePort } from '../../../runtime/testkit.js';
import { httpBackend, rawBackend, rawExchange, startFront, until, type Backend, type Front } from './forward.testkit.js';
import { maxForwardsFor } from './forward.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
async function withBackend(b: Promise<Backend>): Promise<Backend> {
  const x = await b;
  cleanup.push(() => x.close());
  return x;
}
async function withFront(f: Promise<Front>): Promise<Front> {
  const x = await f;
  cleanup.push(() => x.close());
  return x;
}

/** Echoes the request head it received as the response body. */
function echoBackend(): Promise<Backend> {
  return rawBackend((s, head) => {
    const body = Buffer.from(head, 'latin1');
    s.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${head}`);
  });
}

const get = (path: string, headers = '') => `GET ${path} HTTP/1.1\r\nHost: front.example:8080\r\n${headers}Connection: close\r\n\r\n`;

describe('request headers seen by the backend', () => {
  test('Host, X-Forwarded-*, hop-by-hop removal and header order', async () => {
    const b = await withBackend(echoBackend());
    const f = await withFront(startFront(b.port, { targetPrefix: '/echo' }));
    const r = await rawExchange(
      f.port,
      get('/x?q=1%202', 'User-Agent: t\r\nX-Forwarded-For: 9.9.9.9\r\nConnection: X-Foo, keep-alive\r\nX-Foo: 1\r\nKeep-Alive: 300\r\nTE: trailers\r\nProxy-Connection: x\r\nUpgrade: h2c\r\nTrailer: X\r\nX-Keep: yes\r\n'),
    );
    expect(r.status).toBe(200);
    const lines = r.body.toString('latin1').split('\r\n');
    expect(lines[0]).toBe('GET /echo/x?q=1%202 HTTP/1.1');
    // Host first (target host and port; ProxyPreserveHost Off), as httpd sends it.
    expect(lines[1]).toBe(`host: 127.0.0.1:${b.port}`);
    const names = lines.slice(1).map((l) => l.split(':')[0].toLowerCase());
    for (const gone of ['x-foo', 'keep-alive', 'te', 'proxy-connection', 'upgrade', 'trailer']) expect(names).not.toContain(gone);
    const text = lines.join('\n');
    expect(text).toContain('X-Forwarded-For: 9.9.9.9, 127.0.0.1'); // httpd: appended with ", "
    expect(text).toContain('X-Forwarded-Host: front.example:8080');
    expect(text).toContain('X-Forwarded-Server: front.test');
    expect(text).toContain('X-Keep: yes');
    // httpd order: client headers in order, then X-Forwarded-Host, X-Forwarded-Server.
    expect(names.indexOf('user-agent')).toBeLessThan(names.indexOf('x-forwarded-host'));
    expect(names.indexOf('x-forwarded-host')).toBeLessThan(names.indexOf('x-forwarded-server'));
  });

  test('ProxyPreserveHost On, ProxyAddHeaders Off, ProxyVia On, Max-Forwards decremented', async () => {
    const b = await withBackend(echoBackend());
    const f = await withFront(startFront(b.port, { preserveHost: true, addHeaders: false, via: 'on' }));
    const r = await rawExchange(f.port, get('/a', 'Max-Forwards: 5\r\nVia: 1.0 x\r\n').replace('front.example:8080', 'Public.Test:18090'));
    const text = r.body.toString('latin1');
    expect(text).toMatch(/^host: Public.Test:18090\r$/m); // httpd: client's Host verbatim
    expect(text).not.toMatch(/X-Forwarded/i);
    expect(text).toMatch(/^Max-Forwards: 4\r$/m); // httpd: 5 → 4
    expect(text).toMatch(new RegExp(`^Via: 1.0 x, 1.1 front.test:${f.port}(\\r)?$`, "m"));
    // httpd adds the same Via to the response.
    expect(r.headers).toContainEqual(['Via', `1.1 front.test:${f.port}`]);
  });

  test('ProxyVia Block removes Via; ProxyMaxForwards adds one when absent', async () => {
    const b = await withBackend(echoBackend());
    const f = await withFront(startFront(b.port, { via: 'block', maxForwards: 7 }));
    const r = await rawExchange(f.port, get('/a', 'Via: 1.0 x\r\n'));
    const text = r.body.toString('latin1');
    expect(text).not.toMatch(/^via:/im);
    expect(text).toMatch(/^Max-Forwards: 7\r$/m);
  });

  test('Max-Forwards rules', () => {
    expect(maxForwardsFor('x', 'GET', -1)).toMatchObject({ ok: false, error: { status: 400 } });
    expect(maxForwardsFor('-1', 'GET', -1)).toMatchObject({ ok: false, error: { status: 400 } });
    expect(maxForwardsFor('0', 'GET', -1)).toMatchObject({ ok: false, error: { reason: 'Max-Forwards has reached zero - proxy loop?' } });
    expect(maxForwardsFor('0', 'OPTIONS', -1)).toEqual({ ok: true, local: true });
    expect(maxForwardsFor(undefined, 'GET', -1)).toEqual({ ok: true, value: null });
    expect(maxForwardsFor('1', 'GET', -1)).toEqual({ ok: true, value: 0 });
  });

  test('request body: small chunked → Content-Length, large chunked stays chunked, C-L streamed', async () => {
    // httpd: a 3-byte chunked body reached the backend with Content-Length: 3, a 20000-byte one chunked.
    const b = await withBackend(
      httpBackend(async (req, res) => {
        const h = createHash('sha256');
        let n = 0;
        for await (const c of req) {
          h.update(c as Buffer);
          n += (c as Buffer).length;
        }
        res.end(JSON.stringify({ cl: req.headers['content-length'] ?? null, te: req.headers['transfer-encoding'] ?? null, n, sum: h.digest('hex') }));
      }),
    );
    const f = await withFront(startFront(b.port));
    const post = async (body: Buffer, chunked: boolean) => {
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const rq = http.request({ port: f.port, host: '127.0.0.1', method: 'POST', path: '/p', agent: false, headers: chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': body.length } }, (rs) => {
          let t = '';
          rs.on('data', (d) => (t += d));
          rs.on('end', () => resolve({ status: rs.statusCode ?? 0, text: t }));
        });
        rq.on('error', reject);
        rq.end(body);
      });
      return { status: res.status, ...JSON.parse(res.text) };
    };
    const small = Buffer.from('abc');
    expect(await post(small, true)).toMatchObject({ cl: '3', te: null, n: 3 });
    const big = Buffer.alloc(20000, 7);
    const sum = createHash('sha256').update(big).digest('hex');
    expect(await post(big, true)).toMatchObject({ cl: null, te: 'chunked', n: 20000, sum });
    expect(await post(big, false)).toMatchObject({ cl: '20000', te: null, n: 20000, sum });
  });

  test('Expect: 100-continue: 100 sent to the client when the backend takes the body', async () => {
    const b = await withBackend(httpBackend(async (req, res) => {
      let n = 0;
      for await (const c of req) n += (c as Buffer).length;
      res.end(`got ${n} expect=${req.headers.expect ?? 'none'}`);
    }));
    const f = await withFront(startFront(b.port));
    const res = await new Promise<{ cont: boolean; text: string }>((resolve, reject) => {
      let cont = false;
      const rq = http.request({ port: f.port, host: '127.0.0.1', method: 'PUT', path: '/u', agent: false, headers: { Expect: '100-continue', 'Content-Length': 5 } });
      rq.on('continue', () => {
        cont = true;
        rq.end('hello');
      });
      rq.on('response', (rs) => {
        let t = '';
        rs.on('data', (d) => (t += d));
        rs.on('end', () => resolve({ cont, text: t }));
      });
      rq.on('error', reject);
      rq.flushHeaders();
    });
    expect(res).toEqual({ cont: true, text: 'got 5 expect=none' });
  });
});

describe('response processing', () => {
  test('hop-by-hop removed, Set-Cookie kept apart, ProxyPassReverse and cookie maps', async () => {
    // httpd: Location http://127.0.0.1:19301/b/target/x → http://127.0.0.1:19380/a/target/x,
    // Path=/app/sub → Path=/pub, Domain=backend.internal → Domain=public.test.
    const b = await withBackend(
      rawBackend((s) =>
        s.end(
          'HTTP/1.1 302 Found\r\nLocation: http://backend.internal:9/b/target/x\r\nSet-Cookie: a=1; Path=/app/sub; Domain=backend.internal\r\n' +
            'Set-Cookie: b=2\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nX-Stay: 1\r\nContent-Length: 0\r\n\r\n',
        ),
      ),
    );
    const f = await withFront(
      startFront(b.port, {
        reverse: {
          aliases: [{ path: '/a', url: 'http://backend.internal:9/b' }],
          cookiePaths: [{ internal: '/app', public: '/pub' }],
          cookieDomains: [{ internal: 'backend.internal', public: 'public.test' }],
        },
        urlBase: { scheme: 'http', hostname: 'front.example', port: 8080 },
      }),
    );
    const r = await rawExchange(f.port, get('/x'));
    expect(r.status).toBe(302);
    expect(r.head).toMatch(/^HTTP\/1.1 302 Found/);
    expect(r.headers).toContainEqual(['Location', 'http://front.example:8080/a/target/x']);
    expect(r.headers.filter(([n]) => n === 'Set-Cookie').map(([, v]) => v)).toEqual(['a=1; Path=/pub; Domain=public.test', 'b=2']);
    const names = r.headers.map(([n]) => n.toLowerCase());
    expect(names).not.toContain('x-hop');
    expect(names).not.toContain('keep-alive');
    expect(names).toContain('x-stay');
  });

  test('backend reason phrase, trailers and HEAD', async () => {
    const b = await withBackend(
      rawBackend((s, head) => {
        if (head.startsWith('HEAD')) s.end('HTTP/1.1 200 Fine\r\nContent-Length: 10\r\nConnection: close\r\n\r\n');
        else s.end('HTTP/1.1 201 Made It\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 42\r\n\r\n');
      }),
    );
    const f = await withFront(startFront(b.port));
    const r = await rawExchange(f.port, get('/t'));
    expect(r.head).toMatch(/^HTTP\/1.1 201 Made It/);
    expect(r.body.toString()).toBe('abc');
    const raw = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      const s = net.connect(f.port, '127.0.0.1', () => s.write(get('/t')));
      s.on('data', (d) => chunks.push(d));
      s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
    expect(raw).toMatch(/0\r\nX-Sum: 42\r\n\r\n$/);
    const h = await rawExchange(f.port, get('/h').replace('GET', 'HEAD'));
    expect(h.head).toMatch(/^HTTP\/1.1 200 Fine/);
    expect(h.headers).toContainEqual(['Content-Length', '10']);
    expect(h.body.length).toBe(0);
  });

  test('server-sent events are flushed as they arrive', async () => {
    let release: () => void = () => {};
    const b = await withBackend(
      httpBackend((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/event-stream' });
        res.write('data: one\n\n');
        release = () => res.end('data: two\n\n');
      }),
    );
    const f = await withFront(startFront(b.port));
    const first = await new Promise<{ first: string; rest: Promise<string> }>((resolve) => {
      http.get({ port: f.port, host: '127.0.0.1', path: '/sse', agent: false }, (rs) => {
        let all = '';
        const rest = new Promise<string>((r2) => rs.on('end', () => r2(all)));
        rs.once('data', (d) => {
          all += d;
          resolve({ first: String(d), rest });
          rs.on('data', (d2) => (all += d2));
        });
      });
    });
    // The first event arrived while the backend still holds the response open.
    expect(first.first).toBe('data: one\n\n');
    release();
    expect(await first.rest).toBe('data: one\n\ndata: two\n\n');
  });
});

/**
 * A full garbage collection, so that memory figures count live data only. `gc` is exposed with
 * --expose-gc; otherwise the flag is turned on and the function taken from a fresh context.
 */
const collectGarbage: () => void =
  (globalThis as { gc?: () => void }).gc ??
  (() => {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as () => void;
  })();

/** Buffer memory held by live objects in this process (client, proxy and backend all run here). */
function liveBufferBytes(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().arrayBuffers;
}

/**
 * Waits until `progress()` reaches `total` or has not moved for `quietMs` (the producer is held
 * back by a consumer that does not read), and returns where it stopped.
 */
async function stalled(progress: () => number, total: number, quietMs = 1000, limitMs = 60_000): Promise<number> {
  const end = Date.now() + limitMs;
  let last = progress();
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const now = progress();
    if (now >= total) return now;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return now;
    }
    if (Date.now() > end) throw new Error(`still moving after ${limitMs} ms: ${now} of ${total} bytes`);
  }
}

describe('streaming large bodies with bounded memory', () => {
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31) & 0xff;
  const digestOf = (size: number): string => {
    const h = createHash('sha256');
    for (let sent = 0; sent < size; sent += chunk.length) h.update(chunk.subarray(0, Math.min(chunk.length, size - sent)));
    return h.digest('hex');
  };
  /** Writes `size` bytes of `chunk` to `w`, waiting for 'drain' whenever it asks to; `count` sees each write. */
  const pumpInto = (w: NodeJS.WritableStream & { once(e: 'drain', f: () => void): unknown }, size: number, count: (n: number) => void): void => {
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        count(n);
        if (!w.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          w.once('drain', pump);
          return;
        }
      }
      w.end();
    };
    pump();
  };

  /**
   * One POST of `size` bytes answered with `size` bytes. With `hold`, the backend reads nothing
   * of the request body until the upload has stalled, and the client reads nothing of the
   * response body until the download has stalled; at each stall the bytes that got through and
   * the buffer memory held (after a full GC, relative to before the request) are recorded.
   */
  async function roundTrip(size: number, hold: boolean) {
    let backendWritten = 0;
    let clientWritten = 0;
    let readUpload!: () => void;
    const uploadHeld = new Promise<void>((r) => (readUpload = r));
    const b = await withBackend(
      httpBackend(async (req, res) => {
        if (hold) await uploadHeld;
        const h = createHash('sha256');
        for await (const c of req) h.update(c as Buffer);
        res.writeHead(200, { 'X-Up': h.digest('hex'), 'Content-Length': size });
        pumpInto(res, size, (n) => (backendWritten += n));
      }),
    );
    const f = await withFront(startFront(b.port, { timeoutMs: 60000 }));
    const before = liveBufferBytes();
    let response!: (rs: http.IncomingMessage) => void;
    const gotResponse = new Promise<http.IncomingMessage>((r) => (response = r));
    const rq = http.request({ port: f.port, host: '127.0.0.1', method: 'POST', path: '/big', agent: false, headers: { 'Content-Length': size } }, (rs) => {
      rs.pause();
      response(rs);
    });
    const failed = new Promise<never>((_, reject) => rq.on('error', reject));
    pumpInto(rq, size, (n) => (clientWritten += n));
    const held = { up: { sent: 0, bytes: 0 }, down: { sent: 0, bytes: 0 } };
    if (hold) {
      held.up.sent = await stalled(() => clientWritten, size);
      held.up.bytes = liveBufferBytes() - before;
      readUpload();
    }
    const rs = await Promise.race([gotResponse, failed]);
    if (hold) {
      held.down.sent = await stalled(() => backendWritten, size);
      held.down.bytes = liveBufferBytes() - before;
    }
    const down = await Promise.race([
      failed,
      new Promise<string>((resolve, reject) => {
        const h = createHash('sha256');
        rs.on('data', (d: Buffer) => h.update(d));
        rs.on('end', () => resolve(h.digest('hex')));
        rs.on('error', reject);
        rs.resume();
      }),
    ]);
    return { up: String(rs.headers['x-up']), down, expected: digestOf(size), held };
  }

  test('1 MiB up and down', async () => {
    const r = await roundTrip(1024 * 1024, false);
    expect(r.up).toBe(r.expected);
    expect(r.down).toBe(r.expected);
  });

  test('100 MiB up and down with readers that stop: back-pressure reaches the writer, the proxy holds a few buffers', async () => {
    const size = 100 * 1024 * 1024;
    const r = await roundTrip(size, true);
    expect(r.up).toBe(r.expected);
    expect(r.down).toBe(r.expected);
    // Nothing of the body was read by the backend, so only socket and stream buffers (a few MiB
    // of the kernel's on 127.0.0.1, a few 64 KiB chunks in the processes) can hold what the
    // client managed to write; a proxy that reads the body ahead would have taken all of it.
    expect(r.held.up.sent).toBeLessThan(size / 2);
    expect(r.held.down.sent).toBeLessThan(size / 2);
    // Live buffer memory while both stalls lasted: far below the body (a proxy buffering the
    // body would keep tens of MiB of it alive).
    expect(r.held.up.bytes).toBeLessThan(16 * 1024 * 1024);
    expect(r.held.down.bytes).toBeLessThan(16 * 1024 * 1024);
  }, 120000);
});

describe('client aborts release the backend connection', () => {
  test('abort mid-download: backend socket closed, nothing leaked', async () => {
    const b = await withBackend(
      httpBackend((_req, res) => {
        res.writeHead(200, { 'Content-Length': 10 * 1024 * 1024 });
        res.write(Buffer.alloc(256 * 1024));
        // Never finishes on its own.
      }),
    );
    const f = await withFront(startFront(b.port));
    await new Promise<void>((resolve) => {
      const s = net.connect(f.port, '127.0.0.1', () => s.write(get('/dl')));
      let got = 0;
      s.on('data', (d) => {
        got += d.length;
        if (got > 100 * 1024) {
          s.destroy();
          resolve();
        }
      });
    });
    await until(() => f.outcomes.length === 1);
    expect(f.outcomes[0]).toMatchObject({ kind: 'aborted', clientGone: true, status: 200 });
    // undici may open one spare idle connection after an abort; it closes with the idle timeout.
    await until(() => b.open() === 0, 8000);
    expect(b.open()).toBe(0);
  });

  test('abort mid-upload: backend socket closed, nothing leaked', async () => {
    let backendSaw = 0;
    const b = await withBackend(
      httpBackend(async (req, res) => {
        req.on('data', (d: Buffer) => (backendSaw += d.length));
        req.on('end', () => res.end('done'));
        req.on('error', () => {});
      }),
    );
    const f = await withFront(startFront(b.port));
    const s = net.connect(f.port, '127.0.0.1');
    await new Promise<void>((r) => s.on('connect', () => r()));
    s.write('POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n');
    s.write(Buffer.alloc(200 * 1024));
    await until(() => backendSaw > 0);
    s.destroy();
    await until(() => f.outcomes.length === 1);
    expect(f.outcomes[0]).toMatchObject({ kind: 'aborted', clientGone: true });
    await until(() => b.open() === 0, 8000);
    expect(b.open()).toBe(0);
  });

  test('pooled connections are reused after complete exchanges', async () => {
    const b = await withBackend(httpBackend((_req, res) => res.end('ok')));
    const f = await withFront(startFront(b.port));
    for (let i = 0; i < 5; i++) expect((await rawExchange(f.port, get('/k'))).body.toString()).toBe('ok');
    expect(b.accepted()).toBe(1);
  });
});

describe('backend failures (statuses as httpd 2.4.71 returns them)', () => {
  test('backend refusing connections → 503', async () => {
    // httpd: "503 Service Unavailable" plain page (AH00957/AH01114), ProxyPass to a closed port.
    const port = await freePort();
    const f = await withFront(startFront(port));
    const r = await rawExchange(f.port, get('/down'));
    expect(r.status).toBe(503);
    expect(f.outcomes[0]).toMatchObject({ kind: 'error', error: { status: 503, logMessage: expect.stringMatching(/AH01114/) } });
  });

  test('DNS failure → 500 "DNS lookup failure for: host"', async () => {
    // httpd: "500 Proxy Error", Reason: DNS lookup failure for: no-such-host.invalid
    const f = await withFront(startFront(1, { targetHost: 'no-such-host.invalid' }));
    const r = await rawExchange(f.port, get('/dns'));
    expect(r.status).toBe(500);
    expect(r.body.toString()).toBe('DNS lookup failure for: no-such-host.invalid');
  });

  test('no status line within the timeout → 502', async () => {
    // httpd: "502 Proxy Error", Reason: Error reading from remote server, after ProxyTimeout 2.
    const b = await withBackend(rawBackend(() => {}));
    const f = await withFront(startFront(b.port, { timeoutMs: 500, poolTimeoutMs: 500 }));
    const r = await rawExchange(f.port, get('/slowhead'));
    expect(r.status).toBe(502);
    expect(r.body.toString()).toBe('Error reading from remote server');
    await until(() => b.open() === 0);
  });

  test('backend resets or closes before the status line → 502', async () => {
    // httpd: 502 Proxy Error "Error reading from remote server" for both.
    const reset = await withBackend(rawBackend((s) => s.resetAndDestroy()));
    const f1 = await withFront(startFront(reset.port));
    expect((await rawExchange(f1.port, get('/reset'))).status).toBe(502);
    const closer = await withBackend(rawBackend((s) => s.end()));
    const f2 = await withFront(startFront(closer.port));
    expect((await rawExchange(f2.port, get('/close'))).status).toBe(502);
  });

  test('header line without a colon → 502 (ProxyBadHeader IsError)', async () => {
    // httpd: "502 Bad Gateway" plain page, AH01106 bad HTTP/1.1 header returned by /b/badheader (GET).
    const b = await withBackend(rawBackend((s) => s.end('HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 2\r\n\r\nok')));
    const f = await withFront(startFront(b.port));
    const r = await rawExchange(f.port, get('/badheader'));
    expect(r.status).toBe(502);
    expect(f.outcomes[0]).toMatchObject({ kind: 'error', error: { status: 502 } });
  });

  test('a reply that is not HTTP → 502 (httpd differs)', async () => {
    // httpd 2.4.71 takes "GARBAGE" (and "HTTP/1.1 2x0 OK") for an HTTP/0.9 reply and relays it
    // with "200 OK"; undici's parser rejects it, so featherd answers 502 Proxy Error.
    const b = await withBackend(rawBackend((s) => s.end('GARBAGE\r\n\r\n')));
    const f = await withFront(startFront(b.port));
    const r = await rawExchange(f.port, get('/garbage'));
    expect(r.status).toBe(502);
  });

  test('backend cut mid-body: client gets the status, a short body and a closed connection', async () => {
    // httpd: "200 OK", Content-Length: 100, body "abc", then the connection closed (curl exit 18);
    // chunked: "3\r\nabc\r\n" and no last chunk. Logged AH01110 error reading response.
    const cl = await withBackend(rawBackend((s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc');
      setTimeout(() => s.destroy(), 100);
    }));
    const f1 = await withFront(startFront(cl.port));
    const r1 = await rawExchange(f1.port, get('/cutcl').replace('Connection: close\r\n', ''));
    expect(r1).toMatchObject({ status: 200, truncated: true });
    expect(r1.body.toString()).toBe('abc');
    expect(f1.outcomes[0]).toMatchObject({ kind: 'aborted', clientGone: false, status: 200, bytesSent: 3 });

    const ch = await withBackend(rawBackend((s) => {
      s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n');
      setTimeout(() => s.destroy(), 100);
    }));
    const f2 = await withFront(startFront(ch.port));
    const r2 = await rawExchange(f2.port, get('/cutchunk').replace('Connection: close\r\n', ''));
    expect(r2).toMatchObject({ status: 200, truncated: true });
    expect(r2.body.toString()).toBe('abc');
  });

  test('slow body beyond the timeout: cut like a broken backend', async () => {
    // httpd: "200 OK", Content-Length: 10, body "abc", connection closed after ProxyTimeout (AH01110).
    const b = await withBackend(rawBackend((s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')));
    const f = await withFront(startFront(b.port, { timeoutMs: 400, poolTimeoutMs: 400 }));
    const r = await rawExchange(f.port, get('/slowbody').replace('Connection: close\r\n', ''));
    expect(r).toMatchObject({ status: 200, truncated: true });
    expect(r.body.toString()).toBe('abc');
    await until(() => b.open() === 0);
  });

  test('failed status line on a later keep-alive request: connection closed without a response', async () => {
    let n = 0;
    const b = await withBackend(rawBackend((s) => {
      if (++n === 1) s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      else s.end();
    }));
    const f = await withFront(startFront(b.port));
    const req = 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n';
    const data = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      const s = net.connect(f.port, '127.0.0.1', () => s.write(req));
      s.on('data', (d) => chunks.push(d));
      s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
    expect(data.match(/HTTP\/1.1 /g)?.length).toBe(1);
    expect(f.outcomes[1]).toMatchObject({ kind: 'drop' });
  });
});
