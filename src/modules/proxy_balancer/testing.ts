/**
 * Test support for balancers: members that say who they are and can be stopped and started
 * again on the same port, featherd started in-process on a config, and real Apache httpd on
 * the same config (its own ServerRoot, high ports on 127.0.0.1, killed afterwards).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { FeatherServer } from '../../runtime/run.js';
import { exited, freePort, startFromConfig, tempDir } from '../../runtime/testkit.js';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';

/** A member backend answering `{"member": name, "url": …}`; stop() and start() keep its port. */
export interface Member {
  name: string;
  port: number;
  /** Requests answered since the start (all lives). */
  hits: number;
  /** Paths answered, in order. */
  urls: string[];
  up: boolean;
  /** Health-check requests (`/health…` paths and `OPTIONS *`), as `METHOD target HTTP/x.y`. */
  checks: string[];
  /** The status `/health` answers (200 by default). */
  health: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function member(name: string, opts: { close?: boolean } = {}): Promise<Member> {
  let srv: http.Server | undefined;
  const socks = new Set<net.Socket>();
  const port = await freePort();
  const m: Member = {
    name,
    port,
    hits: 0,
    urls: [],
    up: false,
    checks: [],
    health: 200,
    async start() {
      srv = http.createServer((req, res) => {
        let len = 0;
        req.on('data', (c: Buffer) => (len += c.length));
        req.on('end', () => {
          if ((req.url ?? '').startsWith('/health') || req.url === '*') {
            m.checks.push(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
            res.writeHead(m.health, { 'Content-Type': 'text/plain', 'X-Health': m.health < 400 ? 'ok' : 'bad' });
            res.end(m.health < 400 ? 'fine' : 'Under maintenance');
            return;
          }
          m.hits++;
          m.urls.push(req.url ?? '');
          const body = JSON.stringify({ member: name, url: req.url, len });
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...(opts.close ? { Connection: 'close' } : {}) });
          res.end(body);
        });
      });
      srv.keepAliveTimeout = 2000;
      srv.on('connection', (s) => {
        socks.add(s);
        s.on('close', () => socks.delete(s));
      });
      await new Promise<void>((r) => srv!.listen(port, '127.0.0.1', r));
      m.up = true;
    },
    async stop() {
      const s = srv;
      srv = undefined;
      m.up = false;
      if (!s) return;
      const closed = new Promise<void>((r) => s.close(() => r()));
      s.closeIdleConnections();
      const t = setTimeout(() => {
        for (const x of socks) x.destroy();
      }, 3000);
      await closed;
      clearTimeout(t);
    },
  };
  await m.start();
  return m;
}

/** One GET on a fresh connection: status, body and headers (bounded by `timeoutMs`). */
export function get(port: number, target: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return request(port, 'GET', target, headers, undefined, timeoutMs);
}

export function request(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string,
  timeoutMs = 10_000,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: { Connection: 'close', ...headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('latin1'), headers: res.headers }));
      res.on('error', () => resolve({ status: 0, body: '', headers: {} }));
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '', headers: {} }));
    req.end(body);
  });
}

/** Which member answered (from the echo body), or '' for another answer. */
export function who(body: string): string {
  try {
    return (JSON.parse(body) as { member?: string }).member ?? '';
  } catch {
    return '';
  }
}

const HEAD = (modules: string[]): string =>
  ['mpm_event', 'authz_core', 'proxy', 'proxy_http', 'slotmem_shm', 'proxy_balancer', ...modules]
    .map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`)
    .join('\n');

/** The common start of a test config: modules, the listener, logs and a small MPM. */
function configHead(dir: string, port: number, modules: string[] = ['lbmethod_byrequests']): string {
  return `${HEAD(modules)}
ServerName front.test
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
DefaultRuntimeDir ${dir}
DocumentRoot "${dir}"
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
MinSpareThreads 1
MaxSpareThreads 16
`;
}

export interface Running {
  port: number;
  dir: string;
  conf: string;
  /** featherd only. */
  server?: FeatherServer;
  stop(): Promise<void>;
  /** A graceful reload (featherd: reload(); Apache: SIGUSR1). */
  reload(): Promise<void>;
}

async function waitListening(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** featherd in this process on `body(port, dir)` (written after configHead). */
export async function startFeatherd(body: (dir: string, port: number) => string, modules?: string[]): Promise<Running> {
  const dir = tempDir('featherd-bal-');
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(conf, `${configHead(dir, port, modules)}${body(dir, port)}\n`);
  const r = await startFromConfig(conf, dir);
  if (!r.ok) throw new Error(r.error);
  const server = r.value;
  return {
    port,
    dir,
    conf,
    server,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    reload: async () => {
      const res = await server.reload();
      if (!res.ok) throw new Error(res.error);
    },
  };
}

/** Real Apache httpd on the same kind of config, in the foreground, killed by stop(). */
export async function startApache(body: (dir: string, port: number) => string, modules?: string[]): Promise<Running> {
  const dir = tempDir('featherd-bal-apache-');
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(conf, `${configHead(dir, port, modules)}${body(dir, port)}\n`);
  const child: ChildProcess = spawn(APACHE, ['-d', dir, '-f', conf, '-DFOREGROUND'], { stdio: 'ignore', detached: true, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' } });
  const stop = async (): Promise<void> => {
    try {
      child.kill('SIGTERM');
    } catch {
      /* gone */
    }
    const t = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited(child);
    clearTimeout(t);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  if (!(await waitListening(port, 15_000))) {
    await stop();
    throw new Error('apache did not start');
  }
  return {
    port,
    dir,
    conf,
    stop,
    reload: async () => {
      const log = path.join(dir, 'error.log');
      const before = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('resuming normal operations').length : 0;
      child.kill('SIGUSR1');
      const end = Date.now() + 10_000;
      while (Date.now() < end) {
        const n = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('resuming normal operations').length : 0;
        if (n > before) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await waitListening(port, 5000);
      await new Promise((r) => setTimeout(r, 300));
    },
  };
}
