#!/usr/bin/env node
// `npm start`: a tiny backend on 127.0.0.1:18080 and featherd on examples/demo.conf in front
// of it (127.0.0.1:8080). Ctrl-C stops both.
//
// `npm start -- tls` (or `npm start -- examples/tls-websocket-balancer.conf`): featherd on
// examples/tls-websocket-balancer.conf, https://127.0.0.1:8443/ in front of two balancer
// members on 127.0.0.1:9001 and :9002 that answer plain HTTP and echo WebSocket messages on
// /socket/. The example's certificate (examples/tls/server.crt and .key, relative to
// ServerRoot) is made with the openssl CLI in a fresh temporary ServerRoot, so the checkout
// stays clean; the logs go there too. Ctrl-C stops everything and removes that directory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const which = process.argv[2];
const TLS_EXAMPLE = 'examples/tls-websocket-balancer.conf';
const tls = which === 'tls' || (which !== undefined && path.resolve(which) === path.resolve(root, TLS_EXAMPLE));
if (which !== undefined && !tls) {
  process.stderr.write(`demo: unknown demo "${which}"; use no argument (examples/demo.conf) or "tls" (${TLS_EXAMPLE})\n`);
  process.exit(2);
}

if (!existsSync(`${root}/dist/cli/main.js`)) {
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

if (tls) await tlsDemo();
else plainDemo();

function plainDemo() {
  const backend = http.createServer((req, res) => {
    if (req.url === '/login') {
      res.writeHead(302, { Location: 'http://127.0.0.1:18080/welcome' });
      res.end();
      return;
    }
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    const forwarded = Object.entries(req.headers)
      .filter(([k]) => k === 'host' || k.startsWith('x-forwarded'))
      .map(([k, v]) => `  ${k}: ${v}\n`)
      .join('');
    res.end(`Hello from the demo backend: you asked for ${req.method} ${req.url}\nfeatherd sent:\n${forwarded}`);
  });

  backend.listen(18080, '127.0.0.1', () => {
    const featherd = spawn(process.execPath, [`${root}/bin/featherd`, '-d', root, '-f', 'examples/demo.conf', '-DFOREGROUND'], {
      cwd: root,
      stdio: 'inherit',
    });
    setTimeout(() => {
      if (featherd.exitCode === null) {
        process.stdout.write('\nfeatherd is serving examples/demo.conf. Try:\n  curl http://127.0.0.1:8080/\n  curl -i http://127.0.0.1:8080/login\n  curl -i http://127.0.0.1:8080/private\nCtrl-C stops it.\n\n');
      }
    }, 800);
    const stop = () => {
      featherd.kill('SIGTERM');
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    featherd.on('exit', (code) => {
      backend.close();
      process.exit(code ?? 0);
    });
  });
  backend.on('error', (e) => {
    process.stderr.write(`demo backend: cannot listen on 127.0.0.1:18080: ${e.message}\n`);
    process.exit(1);
  });
}

/** A balancer member: plain HTTP says who answered; WebSocket messages on /socket/ come back as sent. */
async function member(WebSocketServer, route, port) {
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`Hello from member ${route} (127.0.0.1:${port}): you asked for ${req.method} ${req.url}\n`);
  });
  const wss = new WebSocketServer({ noServer: true });
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/socket/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Resolves true once 127.0.0.1:port accepts a connection, false after `ms` or when `alive()` turns false. */
async function listening(port, ms, alive) {
  const end = Date.now() + ms;
  while (Date.now() < end && alive()) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function tlsDemo() {
  let WebSocketServer;
  try {
    ({ WebSocketServer } = await import('ws'));
  } catch {
    process.stderr.write('demo: the WebSocket members need the "ws" package (a devDependency): run `npm ci` first\n');
    process.exit(1);
  }

  const serverRoot = mkdtempSync(path.join(os.tmpdir(), 'featherd-tls-demo-'));
  const removeRoot = () => rmSync(serverRoot, { recursive: true, force: true });
  mkdirSync(path.join(serverRoot, 'examples', 'tls'), { recursive: true });
  mkdirSync(path.join(serverRoot, 'logs'));
  const cert = spawnSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30',
      '-keyout', path.join(serverRoot, 'examples', 'tls', 'server.key'),
      '-out', path.join(serverRoot, 'examples', 'tls', 'server.crt'),
      '-subj', '/CN=app.example.test',
      '-addext', 'subjectAltName=DNS:app.example.test,DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (cert.status !== 0) {
    removeRoot();
    const why = cert.error ? cert.error.message : cert.stderr.trim();
    process.stderr.write(`demo: cannot make the self-signed certificate with openssl: ${why}\n`);
    process.exit(1);
  }

  const members = [];
  try {
    members.push(await member(WebSocketServer, 'a', 9001));
    members.push(await member(WebSocketServer, 'b', 9002));
  } catch (e) {
    for (const m of members) m.close();
    removeRoot();
    process.stderr.write(`demo backend: cannot listen on 127.0.0.1:${9001 + members.length}: ${e.message}\n`);
    process.exit(1);
  }

  const featherd = spawn(
    process.execPath,
    [`${root}/bin/featherd`, '-d', serverRoot, '-f', path.join(root, TLS_EXAMPLE), '-DFOREGROUND'],
    { cwd: root, stdio: 'inherit' },
  );
  const stop = () => {
    if (featherd.exitCode === null) featherd.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  featherd.on('exit', (code, signal) => {
    for (const m of members) m.close();
    removeRoot();
    process.exit(code ?? (signal === 'SIGTERM' ? 0 : 1));
  });

  if (await listening(8443, 15_000, () => featherd.exitCode === null)) {
    const wsTry =
      `node -e "const W=require('ws');const w=new W('wss://127.0.0.1:8443/socket/',{rejectUnauthorized:false});` +
      `w.on('open',()=>w.send('hello'));w.on('message',m=>{console.log(String(m));w.close()})"`;
    process.stdout.write(
      `\nfeatherd is serving ${TLS_EXAMPLE} (ServerRoot ${serverRoot}, a self-signed certificate and the logs are there). Try:\n` +
        '  curl -k https://127.0.0.1:8443/                 members a and b answer in turn\n' +
        '  curl -ki https://127.0.0.1:8443/                the Set-Cookie: ROUTEID=.a (or .b) the balancer sends\n' +
        '  curl -k -b ROUTEID=.b https://127.0.0.1:8443/   that cookie keeps you on member b\n' +
        `  ${wsTry}\n` +
        '                                                  a WebSocket echo through featherd\n' +
        'Ctrl-C stops it.\n\n',
    );
  } else if (featherd.exitCode === null) {
    process.stderr.write(`demo: featherd does not listen on 127.0.0.1:8443; see ${serverRoot}/logs/tls-websocket-balancer-error.log\n`);
  }
}
