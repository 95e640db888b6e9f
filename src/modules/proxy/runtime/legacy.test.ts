/**
 * forward() for what undici cannot send (legacy.ts): HTTP/1.0 requests (force-proxy-request-1.0)
 * and Expect: 100-continue passed on to the backend; real sockets on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonHttpUrl } from './canon.js';
import { forward, type BodyKeep } from './forward.js';
import { rawBackend, rawExchange, startFront, type Backend, type Front } from './forward.testkit.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
async function keep<T extends Backend | Front>(p: Promise<T>): Promise<T> {
  const x = await p;
  cleanup.push(() => x.close());
  return x;
}

test('force-proxy-request-1.0: HTTP/1.0 request line, no Connection, a chunked body sent with its length; a close-delimited answer is relayed chunked', async () => {
  const heads: string[] = [];
  const bodies: string[] = [];
  const b = await keep(
    rawBackend((s, head, rest) => {
      heads.push(head);
      const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      let got = rest;
      const answer = (): void => {
        bodies.push(got.toString('latin1'));
        s.end('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold server');
      };
      if (got.length >= len) return answer();
      s.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (got.length >= len) answer();
      });
    }),
  );
  const f = await keep(startFront(b.port, { http10: true, reuse: false }));
  const r = await rawExchange(f.port, 'POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n3\r\n 10\r\n0\r\n\r\n');
  expect(r.status).toBe(200);
  expect(r.body.toString()).toBe('old server');
  expect(r.headers).toContainEqual(['Transfer-Encoding', 'chunked']);
  expect(heads[0].split('\r\n')[0]).toBe('POST /p HTTP/1.0');
  expect(heads[0]).toMatch(/\r\nContent-Length: 8(\r\n|$)/);
  expect(heads[0]).not.toMatch(/connection:|transfer-encoding:/i);
  expect(bodies).toEqual(['hello 10']);
});

test('Expect: 100-continue goes to the backend; its 100 is relayed and only then the body is sent', async () => {
  let sawBodyBeforeContinue = false;
  let head = '';
  const b = await keep(
    rawBackend((s, h, rest) => {
      head = h;
      if (rest.length > 0) sawBodyBeforeContinue = true;
      s.write('HTTP/1.1 100 Continue\r\n\r\n');
      let got = rest;
      s.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 5) s.end(`HTTP/1.1 200 OK\r\nContent-Length: ${got.length}\r\n\r\n${got.toString()}`);
      });
    }),
  );
  const f = await keep(startFront(b.port, { expectToBackend: true }));
  const r = await rawExchange(f.port, 'POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
  expect(r.head.startsWith('HTTP/1.1 100 Continue')).toBe(true);
  expect(head).toMatch(/\r\nExpect: 100-continue(\r\n|$)/);
  expect(sawBodyBeforeContinue).toBe(false);
  expect(r.body.toString()).toContain('hello');
});

test('a final status instead of 100 is relayed and the body is not sent', async () => {
  let extra = 0;
  const b = await keep(
    rawBackend((s, _h, rest) => {
      extra += rest.length;
      s.on('data', (d: Buffer) => (extra += d.length));
      s.end('HTTP/1.1 413 Too Large\r\nContent-Length: 3\r\n\r\nbig');
    }),
  );
  const f = await keep(startFront(b.port, { expectToBackend: true }));
  const r = await rawExchange(f.port, 'POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
  expect(r.status).toBe(413);
  expect(r.body.toString()).toBe('big');
  expect(extra).toBe(0);
});

test('replies without a status line are HTTP/0.9 bodies; a header line without a colon is a 502', async () => {
  const b = await keep(
    rawBackend((s, head) => {
      if (head.startsWith('GET /old')) s.end('just bytes\nmore\n');
      else s.end('HTTP/1.1 200 OK\r\nnot a header\r\n\r\nx');
    }),
  );
  const f = await keep(startFront(b.port, { http10: true }));
  const old = await rawExchange(f.port, 'GET /old HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(old.status).toBe(200);
  expect(old.body.toString()).toBe('just bytesmore\n');
  const bad = await rawExchange(f.port, 'GET /bad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(bad.status).toBe(502);
});

test('a chunked answer is decoded and relayed; a refused connection is a 503', async () => {
  const b = await keep(rawBackend((s) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n')));
  const f = await keep(startFront(b.port, { http10: true }));
  const r = await rawExchange(f.port, 'GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(r.body.toString()).toBe('abcde');
  await b.close();
  const refused = await rawExchange(f.port, 'GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(refused.status).toBe(503);
});

test('a balancer failover after a refused connection sends the spooled HTTP/1.0 body again', async () => {
  const bodies: string[] = [];
  const b = await keep(
    rawBackend((s, head, rest) => {
      const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      let got = rest;
      const answer = (): void => {
        bodies.push(got.toString('latin1'));
        s.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok');
      };
      if (got.length >= len) return answer();
      s.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (got.length >= len) answer();
      });
    }),
  );
  const down = await keep(rawBackend((s) => s.destroy()));
  const downPort = down.port;
  await down.close();
  const outcomes: string[] = [];
  const front = http.createServer(async (req, res) => {
    const kept: BodyKeep = { head: [], ended: false };
    for (const port of [downPort, b.port]) {
      const target = canonHttpUrl(`http://127.0.0.1:${port}/f`, { args: null });
      if (!target || !target.ok) throw new Error('bad target');
      const out = await forward(req, res, { target: target.value, dispatcher: undefined as never, reuse: false, timeoutMs: 5000, serverName: 'front.test', serverPort: 80, clientIp: '127.0.0.1', http10: true, keep: kept });
      outcomes.push(out.kind);
      if (out.kind !== 'error') return;
    }
    res.writeHead(500).end();
  });
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => front.close(() => r())));
  const port = (front.address() as AddressInfo).port;
  const r = await rawExchange(port, 'POST /f HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nbody\r\n0\r\n\r\n');
  expect(outcomes).toEqual(['error', 'done']);
  expect(r.body.toString()).toBe('ok');
  expect(bodies).toEqual(['body']);
});
