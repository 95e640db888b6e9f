/**
 * How forward() writes a response to the client's socket: status line, headers and a body that
 * came with them in one write; headers of a response whose body is still to come sent at once
 * (server-sent events, long polls); a backend failing right after its headers still shows the
 * client the status line before the connection is cut.
 */
import http from 'node:http';
import net from 'node:net';
import { listenTracked } from '../../../runtime/testkit.js';
import { canonHttpUrl } from './canon.js';
import { forward } from './forward.js';
import { httpBackend, rawBackend, rawExchange, type Backend } from './forward.testkit.js';
import { createWorkerPool } from './pool.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

interface CountingFront {
  port: number;
  /** Socket writes (write or writev calls reaching the handle) per accepted connection, in order. */
  writes: number[];
}

/** node:http + forward() in front of `backendPort`, counting the writes on each client socket. */
async function countingFront(backendPort: number): Promise<CountingFront> {
  const pool = createWorkerPool(`http://127.0.0.1:${backendPort}`, { connectTimeoutMs: 5000, timeoutMs: 5000, max: 4 });
  const writes: number[] = [];
  const srv = http.createServer((req, res) => {
    const target = canonHttpUrl(`http://127.0.0.1:${backendPort}${req.url ?? '/'}`, { args: null });
    if (!target || !target.ok) {
      res.writeHead(500).end();
      return;
    }
    void forward(req, res, { target: target.value, dispatcher: pool, reuse: true, timeoutMs: 5000, serverName: 'front.test', serverPort: 80, clientIp: '127.0.0.1' });
  });
  srv.on('connection', (s: net.Socket) => {
    const at = writes.push(0) - 1;
    // Every write of a net.Socket reaches its handle through _writeGeneric (write and writev).
    const hooked = s as unknown as { _writeGeneric: (...a: unknown[]) => unknown };
    const orig = hooked._writeGeneric.bind(s);
    hooked._writeGeneric = (...a: unknown[]) => {
      writes[at]++;
      return orig(...a);
    };
  });
  const tracked = await listenTracked(srv);
  cleanup.push(async () => {
    await tracked.close();
    await pool.destroy();
  });
  return { port: tracked.port, writes };
}

async function withBackend(b: Promise<Backend>): Promise<Backend> {
  const x = await b;
  cleanup.push(() => x.close());
  return x;
}

test('a small response goes to the client in one write: status line, headers and body together', async () => {
  const b = await withBackend(
    httpBackend((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 6 });
      res.end('hello\n');
    }),
  );
  const f = await countingFront(b.port);
  const r = await rawExchange(f.port, 'GET /small HTTP/1.1\r\nHost: front.test\r\nConnection: close\r\n\r\n');
  expect(r.status).toBe(200);
  expect(r.body.toString()).toBe('hello\n');
  expect(f.writes).toEqual([1]);
});

test('headers of a response whose body is not there yet are sent at once', async () => {
  let release: () => void = () => {};
  const b = await withBackend(
    httpBackend((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'X-Stream': 'yes' });
      res.flushHeaders();
      release = () => res.end('data: late\n\n');
    }),
  );
  const f = await countingFront(b.port);
  const sock = net.connect(f.port, '127.0.0.1');
  cleanup.push(async () => void sock.destroy());
  sock.write('GET /events HTTP/1.1\r\nHost: front.test\r\n\r\n');
  let got = '';
  await new Promise<void>((resolve) => {
    sock.on('data', (d) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) resolve();
    });
  });
  // The head arrived while the backend still holds its body back.
  expect(got).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(got.toLowerCase()).toContain('x-stream: yes');
  expect(got.slice(got.indexOf('\r\n\r\n') + 4)).toBe('');
  const rest = new Promise<string>((resolve) => {
    let more = '';
    sock.on('data', (d) => {
      more += d.toString('latin1');
      if (more.includes('data: late')) resolve(more);
    });
  });
  release();
  expect(await rest).toContain('data: late\n\n');
});

test('a backend failing in the same packet as its headers: the client sees the status line, then the cut', async () => {
  const b = await withBackend(
    rawBackend((s) => {
      s.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n');
    }),
  );
  const f = await countingFront(b.port);
  const r = await rawExchange(f.port, 'GET /broken HTTP/1.1\r\nHost: front.test\r\n\r\n');
  expect(r.status).toBe(200);
  expect(r.truncated).toBe(true);
});
