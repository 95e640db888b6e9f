/**
 * WebSocket through a balancer with stickiness, in-process on 127.0.0.1: two `ws` echo backends
 * as members with routes, `stickysession=ROUTEID`; the ROUTEID cookie keeps a client on its
 * member for the whole tunnel, and once every client has closed no connection is left open on
 * either side (front or backends). Expected behaviour as recorded from httpd 2.4.71 in
 * conformance/runtime/ws-balancer-sticky.
 */
import fs from 'node:fs';
import http from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { freePort, listenTracked, tempDir, within } from '../../../runtime/testkit.js';
import { startFeatherd } from '../../ssl/testkit.js';
import { until } from './forward.testkit.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

interface Member {
  port: number;
  /** TCP connections to this backend open right now. */
  open(): number;
  /** WebSocket sessions this backend accepted, with the Cookie header each carried. */
  sessions: string[];
}

/** A WebSocket echo backend answering `b<n>:<message>`. */
async function member(n: number): Promise<Member> {
  const srv = http.createServer((_req, res) => res.end(`plain b${n}`));
  const sessions: string[] = [];
  const wss = new WebSocketServer({ server: srv });
  wss.on('connection', (ws, req) => {
    sessions.push(String(req.headers.cookie ?? ''));
    ws.on('message', (m) => ws.send(`b${n}:${String(m)}`));
    ws.on('error', () => undefined);
  });
  const tracked = await listenTracked(srv);
  cleanup.push(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    return tracked.close();
  });
  return { port: tracked.port, open: tracked.open, sessions };
}

interface Client {
  ws: WebSocket;
  /** Sends a message and waits for its echo. */
  ask(text: string): Promise<string>;
  close(): Promise<void>;
}

function connect(url: string, cookie: string | null): Promise<Client> {
  return within(
    new Promise<Client>((resolve, reject) => {
      const ws = new WebSocket(url, { headers: cookie === null ? {} : { Cookie: cookie } });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
      ws.once('open', () =>
        resolve({
          ws,
          ask: (text) =>
            within(
              new Promise<string>((r) => {
                ws.once('message', (m) => r(String(m)));
                ws.send(text);
              }),
              5000,
              `echo of ${text}`,
            ),
          close: () =>
            within(
              new Promise<void>((r) => {
                if (ws.readyState === WebSocket.CLOSED) return r();
                ws.once('close', () => r());
                ws.close(1000, 'done');
              }),
              5000,
              'close handshake',
            ),
        }),
      );
    }),
    5000,
    `open ${url}`,
  );
}

test('the ROUTEID cookie keeps each WebSocket on its member; nothing stays open after close', async () => {
  const m1 = await member(1);
  const m2 = await member(2);
  const port = await startBalancer(m1, m2);

  // Front connections, counted from the client side.
  let frontOpen = 0;
  const track = (c: Client): Client => {
    frontOpen++;
    c.ws.once('close', () => frontOpen--);
    return c;
  };
  const url = `ws://127.0.0.1:${port}/chat/room`;
  const a = track(await connect(url, 'ROUTEID=.2'));
  const b = track(await connect(url, 'other=x; ROUTEID=.1'));
  const c = track(await connect(url, 'ROUTEID=session.2'));
  for (let i = 0; i < 3; i++) {
    expect(await a.ask(`a${i}`)).toBe(`b2:a${i}`);
    expect(await b.ask(`b${i}`)).toBe(`b1:b${i}`);
    expect(await c.ask(`c${i}`)).toBe(`b2:c${i}`);
  }
  expect(m1.sessions).toEqual(['other=x; ROUTEID=.1']);
  expect(m2.sessions).toEqual(['ROUTEID=.2', 'ROUTEID=session.2']);
  // One tunnel per client: member 2 holds two backend connections, member 1 one.
  expect(m2.open()).toBe(2);
  expect(m1.open()).toBe(1);

  // Closing from the client ends the tunnel on both sides.
  await a.close();
  await until(() => m2.open() === 1, 5000, 'member 2 to see one tunnel close');
  expect(await c.ask('still')).toBe('b2:still');
  await b.close();
  await c.close();
  await until(() => m1.open() === 0 && m2.open() === 0, 5000, 'every backend connection to close');
  await until(() => frontOpen === 0, 5000, 'every front connection to close');
  expect([m1.open(), m2.open(), frontOpen]).toEqual([0, 0, 0]);
});

test('a client that drops its connection ends the tunnel; it comes back to the same member', async () => {
  const m1 = await member(1);
  const m2 = await member(2);
  const port = await startBalancer(m1, m2);
  const url = `ws://127.0.0.1:${port}/chat/x`;
  const a = await connect(url, 'ROUTEID=.1');
  expect(await a.ask('hi')).toBe('b1:hi');
  expect(m1.open()).toBe(1);
  // No close frame: the client's socket is destroyed.
  a.ws.terminate();
  await until(() => m1.open() === 0, 5000, 'member 1 to lose its tunnel');
  const again = await connect(url, 'ROUTEID=.1');
  expect(await again.ask('back')).toBe('b1:back');
  expect(m1.sessions).toHaveLength(2);
  expect(m2.sessions).toHaveLength(0);
  await again.close();
  await until(() => m1.open() === 0 && m2.open() === 0, 5000, 'every backend connection to close');
});

/** featherd balancing `/chat` over the two members; resolves with its port. */
async function startBalancer(m1: Member, m2: Member): Promise<number> {
  const port = await freePort();
  const dir = tempDir('featherd-ws-balancer-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const started = await startFeatherd(dir, balancerConf(port, m1.port, m2.port));
  if (!started.ok) throw new Error(started.error);
  cleanup.push(() => started.value.stop());
  return port;
}

function balancerConf(port: number, p1: number, p2: number): string {
  return `LoadModule slotmem_shm_module /usr/lib/apache2/modules/mod_slotmem_shm.so
LoadModule proxy_balancer_module /usr/lib/apache2/modules/mod_proxy_balancer.so
LoadModule lbmethod_byrequests_module /usr/lib/apache2/modules/mod_lbmethod_byrequests.so
Listen 127.0.0.1:${port}
<Proxy "balancer://chat">
    BalancerMember "ws://127.0.0.1:${p1}" route=1
    BalancerMember "ws://127.0.0.1:${p2}" route=2
    ProxySet stickysession=ROUTEID
</Proxy>
ProxyPass "/chat" "balancer://chat"
`;
}
