/**
 * WebSocket and TLS backends through featherd, in-process on 127.0.0.1 with a `ws` echo
 * backend. Expected behaviour as observed with httpd 2.4.71: the 101 carries the backend's
 * headers plus `Connection: Upgrade` / `Upgrade: <client's value>` and no Date/Server; an http://
 * worker without `upgrade=` proxies the request without the Upgrade header; https targets
 * without SSLProxyEngine are a 500.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { freePort, listenTracked, tempDir, within } from '../../../runtime/testkit.js';
import { makeCerts, startFeatherd, type Certs } from '../../ssl/testkit.js';
import { until } from './forward.testkit.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
let certs: Certs;
let certDir: string;
beforeAll(() => {
  certDir = tempDir('featherd-ws-certs-');
  certs = makeCerts(certDir, ['localhost', 'www.example.com']);
}, 60_000);
afterAll(() => fs.rmSync(certDir, { recursive: true, force: true }));

interface WsBackend {
  port: number;
  /** Open TCP connections to the backend right now. */
  open(): number;
  seen: { url: string; raw: string[] }[];
}

async function wsBackend(tls = false): Promise<WsBackend> {
  const seen: WsBackend['seen'] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    seen.push({ url: req.url ?? '', raw: req.rawHeaders });
    res.end(`plain ${req.url}`);
  };
  const srv = tls
    ? https.createServer({ cert: fs.readFileSync(certs.files.get('localhost')!.cert), key: fs.readFileSync(certs.files.get('localhost')!.key) }, onRequest)
    : http.createServer(onRequest);
  const wss = new WebSocketServer({ server: srv, handleProtocols: (ps) => [...ps].pop() ?? false });
  wss.on('connection', (ws, req) => {
    seen.push({ url: req.url ?? '', raw: req.rawHeaders });
    ws.on('message', (m) => {
      if (String(m) === 'close-please') ws.close(4001, 'bye');
      else ws.send(`echo:${String(m)}`);
    });
    ws.on('error', () => undefined);
  });
  const tracked = await listenTracked(srv);
  cleanup.push(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    return tracked.close();
  });
  return { port: tracked.port, open: tracked.open, seen };
}

async function serve(body: string): Promise<{ dir: string; reload: () => Promise<unknown> }> {
  const dir = tempDir('featherd-ws-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await startFeatherd(dir, body);
  if (!r.ok) throw new Error(r.error);
  cleanup.push(() => r.value.stop());
  return { dir, reload: () => r.value.server.reload() };
}

function openWs(url: string, protocols: string[] = [], opts: { ca?: Buffer; servername?: string } = {}): Promise<WebSocket> {
  return within(
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, protocols, { ...opts, headers: { Host: 'www.example.com' } });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    }),
    10_000,
    `open ${url}`,
  );
}

function nextMessage(ws: WebSocket): Promise<string> {
  return within(new Promise<string>((r) => ws.once('message', (m) => r(String(m)))), 10_000, 'message');
}

function raw(port: number, text: string, waitMs = 600): Promise<string> {
  return within(
    new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(text));
      let buf = '';
      s.setEncoding('latin1');
      s.on('data', (d: string) => (buf += d));
      const t = setTimeout(() => s.destroy(), waitMs);
      s.on('close', () => (clearTimeout(t), resolve(buf)));
      s.on('error', () => undefined);
    }),
    10_000,
    'raw exchange',
  );
}

const HANDSHAKE = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: www.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat, superchat\r\n\r\n`;

function plainConf(port: number, be: number, extra = ''): string {
  return `Listen 127.0.0.1:${port}
Timeout 5
<VirtualHost *:${port}>
ServerName www.example.com
ProxyPass /ws/ ws://127.0.0.1:${be}/ws/
ProxyPass /up/ http://127.0.0.1:${be}/up/ upgrade=websocket
ProxyPass /any/ http://127.0.0.1:${be}/any/ upgrade=*
ProxyPass /nows/ http://127.0.0.1:${be}/nows/
${extra}
</VirtualHost>
`;
}

test('the 101 handshake as httpd relays it: backend headers, every subprotocol offered, no Date/Server', async () => {
  const be = await wsBackend();
  const port = await freePort();
  await serve(plainConf(port, be.port));
  const text = await raw(port, HANDSHAKE('/ws/a'));
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  const lines = head.split('\r\n');
  expect(lines[0]).toBe('HTTP/1.1 101 Switching Protocols');
  expect(lines).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  expect(lines.slice(-2)).toEqual(['Connection: Upgrade', 'Upgrade: websocket']);
  expect(head).toContain('Sec-WebSocket-Protocol: superchat');
  expect(head).not.toMatch(/\r\n(Date|Server):/);
  const raws = be.seen[0].raw;
  const pairs = Object.fromEntries(raws.flatMap((v, i) => (i % 2 === 0 ? [[v, raws[i + 1]]] : [])));
  expect(pairs['Sec-WebSocket-Protocol']).toBe('chat, superchat');
  expect(raws.slice(-4)).toEqual(['Connection', 'Upgrade', 'Upgrade', 'websocket']);
  expect(pairs['X-Forwarded-Host']).toBe('www.example.com');
}, 30_000);

test('ws:// targets and upgrade= workers tunnel; an http:// worker without upgrade= does not', async () => {
  const be = await wsBackend();
  const port = await freePort();
  await serve(plainConf(port, be.port));
  for (const p of ['/ws/a', '/up/b', '/any/c']) {
    const ws = await openWs(`ws://127.0.0.1:${port}${p}`, ['chat', 'superchat']);
    expect(ws.protocol).toBe('superchat');
    ws.send('hi');
    expect(await nextMessage(ws)).toBe('echo:hi');
    ws.close();
  }
  const text = await raw(port, HANDSHAKE('/nows/d'));
  expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
  expect(text).toContain('plain /nows/d');
  const seen = be.seen.find((s) => s.url === '/nows/d')!;
  expect(seen.raw.map((h) => h.toLowerCase())).not.toContain('upgrade');
  await until(() => be.open() === 0, 10_000, 'backend sockets closed');
}, 30_000);

test('closing and aborting in either direction tears the tunnel down; no socket is left open', async () => {
  const be = await wsBackend();
  const port = await freePort();
  await serve(plainConf(port, be.port));
  // Client closes.
  const a = await openWs(`ws://127.0.0.1:${port}/ws/a`);
  a.close(1000, 'done');
  await within(new Promise((r) => a.once('close', r)), 10_000, 'client close');
  // Backend closes.
  const b = await openWs(`ws://127.0.0.1:${port}/ws/b`);
  const closed = within(new Promise<number>((r) => b.once('close', (code) => r(code))), 10_000, 'backend close');
  b.send('close-please');
  expect(await closed).toBe(4001);
  // Client vanishes without a close frame.
  const c = await openWs(`ws://127.0.0.1:${port}/ws/c`);
  c.terminate();
  // Garbage and a reset from the client do not crash anything.
  const s = net.connect(port, '127.0.0.1', () => s.write(HANDSHAKE('/ws/d')));
  s.on('error', () => undefined);
  await within(new Promise((r) => s.once('data', r)), 10_000, '101');
  s.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  s.resetAndDestroy();
  await until(() => be.open() === 0, 10_000, 'backend sockets closed');
  // The server still serves.
  const d = await openWs(`ws://127.0.0.1:${port}/ws/e`);
  d.send('still');
  expect(await nextMessage(d)).toBe('echo:still');
  d.close();
  await until(() => be.open() === 0, 10_000, 'backend sockets closed again');
}, 30_000);

test('an open tunnel survives a graceful reload on the old generation', async () => {
  const be = await wsBackend();
  const port = await freePort();
  const { reload, dir } = await serve(plainConf(port, be.port));
  const ws = await openWs(`ws://127.0.0.1:${port}/ws/a`);
  fs.writeFileSync(`${dir}/httpd.conf`, fs.readFileSync(`${dir}/httpd.conf`, 'utf8').replace('ProxyPass /ws/ ws', 'ProxyPass /ws2/ ws'));
  expect(await reload()).toEqual({ ok: true });
  ws.send('after reload');
  expect(await nextMessage(ws)).toBe('echo:after reload');
  ws.close();
}, 30_000);

test('https and wss backends need SSLProxyEngine On, then verify as configured', async () => {
  const be = await wsBackend(true);
  const port = await freePort();
  const ca = certs.caCert;
  const { dir } = await serve(`Listen 127.0.0.1:${port}
<VirtualHost *:${port}>
ServerName www.example.com
ProxyPass /off/ https://localhost:${be.port}/off/
</VirtualHost>
<VirtualHost *:${port}>
ServerName on.example.com
SSLProxyEngine On
SSLProxyVerify require
SSLProxyCACertificateFile ${ca}
ProxyPass /ok/ https://localhost:${be.port}/ok/
ProxyPass /ip/ https://127.0.0.1:${be.port}/ip/
ProxyPass /ws/ wss://localhost:${be.port}/ws/
</VirtualHost>
`);
  const off = await raw(port, 'GET /off/x HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n', 3000);
  expect(off.startsWith('HTTP/1.1 500 Internal Server Error\r\n')).toBe(true);
  expect(fs.readFileSync(`${dir}/error.log`, 'utf8')).toContain(`AH00961: https: failed to enable ssl support for localhost:${be.port} (localhost)`);
  const ok = await raw(port, 'GET /ok/x HTTP/1.1\r\nHost: on.example.com\r\nConnection: close\r\n\r\n', 3000);
  expect(ok.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
  expect(ok).toContain('plain /ok/x');
  // An IP address does not match the certificate's DNS names (httpd ignores IP SANs).
  const ip = await raw(port, 'GET /ip/x HTTP/1.1\r\nHost: on.example.com\r\nConnection: close\r\n\r\n', 3000);
  expect(ip.startsWith('HTTP/1.1 500 Proxy Error\r\n')).toBe(true);
  expect(ip).toContain('Reason: <strong>Error during SSL Handshake with remote server</strong>');
  const ws = await new Promise<WebSocket>((resolve, reject) => {
    const w = new WebSocket(`ws://127.0.0.1:${port}/ws/a`, { headers: { Host: 'on.example.com' } });
    w.once('open', () => resolve(w));
    w.once('error', reject);
  });
  ws.send('tls');
  expect(await nextMessage(ws)).toBe('echo:tls');
  ws.close();
}, 30_000);
