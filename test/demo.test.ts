/**
 * `npm start -- tls` as a real process: scripts/demo.mjs makes a certificate, starts the two
 * balancer members and featherd on examples/tls-websocket-balancer.conf; an HTTPS request and a
 * WebSocket echo go through it on 127.0.0.1:8443, and SIGTERM stops it all.
 */
import { spawn } from 'node:child_process';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { exited, within } from '../src/runtime/testkit.js';

const DEMO = fileURLToPath(new URL('../scripts/demo.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

function get(url: string): Promise<{ status: number; cookie: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? ''), body }));
    });
    req.on('error', reject);
  });
}

function echo(url: string, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false });
    ws.on('open', () => ws.send(message));
    ws.on('message', (data) => {
      resolve(String(data));
      ws.close();
    });
    ws.on('error', reject);
  });
}

test('npm start -- tls serves HTTPS from the balancer members and echoes WebSocket messages, and stops on SIGTERM', async () => {
  const demo = spawn(process.execPath, [DEMO, 'tls'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  demo.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  demo.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  let code: number | null = null;
  try {
    await within(
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (out.includes('featherd is serving examples/tls-websocket-balancer.conf')) resolve();
        };
        demo.stdout!.on('data', check);
        demo.once('exit', (code) => reject(new Error(`the demo exited (${code}) before serving:\n${out}`)));
        check();
      }),
      20_000,
      'the demo announcing it serves',
    );

    const r = await within(get('https://127.0.0.1:8443/hello'), 10_000, 'the HTTPS request');
    expect(r.status).toBe(200);
    expect(r.body).toMatch(/^Hello from member [ab] \(127\.0\.0\.1:900[12]\): you asked for GET \/hello\n$/);
    const route = /member ([ab])/.exec(r.body)![1];
    expect(r.cookie).toContain(`ROUTEID=.${route}; path=/`);

    const reply = await within(echo('wss://127.0.0.1:8443/socket/', 'ping through featherd'), 10_000, 'the WebSocket echo');
    expect(reply).toBe('ping through featherd');
  } finally {
    if (demo.exitCode === null) demo.kill('SIGTERM');
    code = await within(exited(demo), 10_000, 'the demo stopping');
  }
  expect(code).toBe(0);
  await expect(within(get('https://127.0.0.1:8443/'), 5_000, 'a request after the stop')).rejects.toThrow();
}, 45_000);
