/**
 * Helpers for forward-proxy tests: featherd started in-process on a config in a temp dir, a
 * raw TCP backend, an upstream forward proxy (absolute-form requests and CONNECT) that records
 * what it was asked, and a client that speaks CONNECT. Every wait is bounded.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import type { FeatherServer } from '../../../runtime/run.js';
import { freePort, listenTracked, startFromConfig, tempDir } from '../../../runtime/testkit.js';

export const MODULES = `LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
LoadModule proxy_connect_module /usr/lib/apache2/modules/mod_proxy_connect.so
`;

export interface Featherd {
  server: FeatherServer;
  port: number;
  dir: string;
  conf: string;
  stop(): Promise<void>;
}

/** featherd on `body` (after the module lines, Listen, PidFile and ErrorLog). */
export async function startFeatherd(body: (port: number, dir: string) => string): Promise<Featherd> {
  const dir = tempDir('featherd-fwd-');
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  fs.mkdirSync(path.join(dir, 'htdocs'));
  fs.writeFileSync(
    conf,
    `ServerRoot "${dir}"\n${MODULES}ServerName front.test\nListen 127.0.0.1:${port}\nPidFile ${dir}/httpd.pid\nErrorLog ${dir}/error.log\nDocumentRoot "${dir}/htdocs"\n${body(port, dir)}\n`,
  );
  const r = await startFromConfig(conf, dir);
  if (!r.ok) throw new Error(r.error);
  const server = r.value;
  return {
    server,
    port,
    dir,
    conf,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TcpBackend {
  port: number;
  /** Connections accepted so far. */
  connections: number;
  /** Bytes received, per connection. */
  received: string[];
  /** Whether each connection saw the peer's end (half-close). */
  ended: boolean[];
  close(): Promise<void>;
}

/**
 * A TCP server: echoes what it gets upper-cased; on the client's end it writes `bye` and ends
 * (so a half-close must travel through a tunnel both ways).
 */
export async function tcpBackend(): Promise<TcpBackend> {
  const b: TcpBackend = { port: 0, connections: 0, received: [], ended: [], close: async () => undefined };
  const srv = net.createServer({ allowHalfOpen: true }, (s) => {
    const i = b.connections++;
    b.received[i] = '';
    b.ended[i] = false;
    s.on('error', () => undefined);
    s.on('data', (d) => {
      b.received[i] += d.toString('latin1');
      s.write(d.toString('latin1').toUpperCase());
    });
    s.on('end', () => {
      b.ended[i] = true;
      s.end('bye');
    });
  });
  const listening = await listenTracked(srv);
  b.port = listening.port;
  b.close = listening.close;
  return b;
}

export interface Upstream {
  port: number;
  /** Request lines of absolute-form requests, with their Proxy-Authorization. */
  requests: { line: string; proxyAuth: string | undefined; host: string | undefined }[];
  /** CONNECT requests: the request line and headers as received. */
  connects: { line: string; headers: Record<string, string | string[] | undefined> }[];
  close(): Promise<void>;
}

/**
 * An upstream forward proxy: absolute-form requests are answered by fetching the URL; a
 * CONNECT to `refuse:` hosts gets a 403, any other CONNECT a tunnel (`HTTP/1.0 200 OK`).
 */
export async function upstreamProxy(): Promise<Upstream> {
  const u: Upstream = { port: 0, requests: [], connects: [], close: async () => undefined };
  const srv = http.createServer((req, res) => {
    u.requests.push({ line: `${req.method} ${req.url} HTTP/${req.httpVersion}`, proxyAuth: req.headers['proxy-authorization'], host: req.headers.host });
    const out = http.request(req.url ?? '', { method: req.method, headers: { ...req.headers, 'x-via-upstream': '1' }, agent: false }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    out.on('error', () => {
      res.writeHead(502);
      res.end('upstream failed');
    });
    req.pipe(out);
  });
  srv.on('connect', (req: http.IncomingMessage, sock: net.Socket, head: Buffer) => {
    u.connects.push({ line: `${req.method} ${req.url} HTTP/${req.httpVersion}`, headers: req.headers });
    sock.on('error', () => undefined);
    const m = /^(.*):(\d+)$/.exec(req.url ?? '');
    if (!m || m[1].startsWith('refuse')) {
      sock.end('HTTP/1.0 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const back = net.connect(Number(m[2]), m[1], () => {
      sock.write('HTTP/1.0 200 OK\r\n\r\n');
      if (head.length) back.write(head);
      sock.pipe(back);
      back.pipe(sock);
    });
    back.on('error', () => sock.destroy());
  });
  const tracked = await listenTracked(srv);
  u.port = tracked.port;
  u.close = tracked.close;
  return u;
}

/** A client socket that collects what it receives; `waitFor` waits (bounded) for a text or the close. */
export interface Client {
  sock: net.Socket;
  data(): string;
  closed(): boolean;
  waitFor(pred: (data: string, closed: boolean) => boolean, ms?: number): Promise<void>;
}

export async function connectClient(port: number): Promise<Client> {
  const sock = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  let buf = '';
  let isClosed = false;
  const waiters: (() => void)[] = [];
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  sock.on('data', (d) => {
    buf += d.toString('latin1');
    wake();
  });
  // The client is half-open capable: the server's end of the stream counts as closed.
  const onClose = (): void => {
    isClosed = true;
    wake();
  };
  sock.on('end', onClose);
  sock.on('close', onClose);
  sock.on('error', () => undefined);
  const c: Client = {
    sock,
    data: () => buf,
    closed: () => isClosed,
    waitFor: async (pred, ms = 8000) => {
      const deadline = Date.now() + ms;
      while (!pred(buf, isClosed)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting; got ${JSON.stringify(buf)} (closed: ${isClosed})`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
  };
  return c;
}
