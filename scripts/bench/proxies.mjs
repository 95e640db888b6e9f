// The proxies under test and how to start each one on a free 127.0.0.1 port, in front of the
// benchmark backend. Apache httpd and featherd read the same generated httpd.conf.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, waitReady } from './procs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const APACHE = process.env.FEATHERD_APACHE_BIN ?? '/usr/sbin/apache2';
export const MODULES = process.env.FEATHERD_APACHE_MODULES ?? '/usr/lib/apache2/modules';
export const FEATHERD = join(ROOT, 'bin', 'featherd');

export const PROXIES = ['featherd', 'apache', 'http-proxy'];
/** Also accepted by --proxies: the backend without a proxy, for the ceiling of this machine. */
export const BASELINE = 'direct';

export const SIZES = {
  small: { path: '/small', bytes: 100 },
  large: { path: '/large', bytes: 1024 * 1024 },
};

/** A port on 127.0.0.1 that was free a moment ago (high, chosen by the kernel). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(address.port));
    });
  });
}

/** GET http://127.0.0.1:port/path; resolves with { status, length }. */
export function fetchOnce(port, path, timeoutMs = 5000) {
  return new Promise((resolveGet, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs }, (res) => {
      let length = 0;
      res.on('data', (chunk) => (length += chunk.length));
      res.on('end', () => resolveGet({ status: res.statusCode, length }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/**
 * Ready once both paths answer 200 with the backend's body through `port`. A server that keeps
 * answering something else for 3 s is given up on.
 */
export function answersLikeBackend(port) {
  let firstWrong = null;
  return async () => {
    for (const { path, bytes } of Object.values(SIZES)) {
      const { status, length } = await fetchOnce(port, path);
      if (status !== 200 || length !== bytes) {
        firstWrong ??= Date.now();
        const reason = `GET ${path}: status ${status}, ${length} bytes (want 200, ${bytes})`;
        return Date.now() - firstWrong > 3000 ? { giveUp: reason } : reason;
      }
    }
    return true;
  };
}

/**
 * The httpd.conf both Apache and featherd run: event MPM with enough threads that every
 * connection of the load has one (no process is spawned during a run), keep-alive without a
 * request limit, no access log, and one ProxyPass to the backend.
 */
export function httpdConf({ port, backendPort, connections }) {
  const threads = 64;
  const servers = Math.ceil(connections / threads) + 1;
  return [
    '# httpd.conf for the proxy benchmark (scripts/bench.mjs); ServerRoot comes from -d.',
    `LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so`,
    `LoadModule authz_core_module ${MODULES}/mod_authz_core.so`,
    `LoadModule proxy_module ${MODULES}/mod_proxy.so`,
    `LoadModule proxy_http_module ${MODULES}/mod_proxy_http.so`,
    'ServerName 127.0.0.1',
    `Listen 127.0.0.1:${port}`,
    'PidFile run/httpd.pid',
    'DefaultRuntimeDir run',
    'ErrorLog logs/error.log',
    'LogLevel warn',
    '',
    `StartServers ${servers}`,
    `ServerLimit ${servers}`,
    `ThreadLimit ${threads}`,
    `ThreadsPerChild ${threads}`,
    `MaxRequestWorkers ${servers * threads}`,
    `MinSpareThreads ${threads}`,
    `MaxSpareThreads ${servers * threads}`,
    'MaxConnectionsPerChild 0',
    '',
    'Timeout 60',
    'KeepAlive On',
    'MaxKeepAliveRequests 0',
    'KeepAliveTimeout 30',
    '',
    '<Location "/">',
    '    Require all granted',
    '</Location>',
    `ProxyPass "/" "http://127.0.0.1:${backendPort}/"`,
    `ProxyPassReverse "/" "http://127.0.0.1:${backendPort}/"`,
    '',
  ].join('\n');
}

/** A fresh ServerRoot in the temp dir holding httpd.conf, logs/ and run/. */
export function serverRoot(parent, name, conf) {
  const root = mkdtempSync(join(parent ?? tmpdir(), `${name}-`));
  mkdirSync(join(root, 'logs'));
  mkdirSync(join(root, 'run'));
  writeFileSync(join(root, 'httpd.conf'), conf);
  return root;
}

/** Version strings for the record; null where a program does not answer. */
export function versions() {
  const run = (cmd, args) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    } catch {
      return null;
    }
  };
  return {
    node: process.version,
    apache: run(APACHE, ['-v'])?.split('\n')[0]?.replace(/^Server version:\s*/, '') ?? null,
    featherd: run(process.execPath, [FEATHERD, '-v'])?.split('\n')[0]?.replace(/^Server version:\s*/, '') ?? null,
    featherdCommit: run('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    httpProxy: run(process.execPath, ['-p', "require('http-proxy/package.json').version"]),
  };
}

/**
 * Starts one proxy in front of the backend and waits until it answers like the backend.
 * Resolves with { handle, port, root } or { error } (the handle, if any, is then already
 * stopped by the caller's cleanup). `extraNodeArgs` go to node for featherd and http-proxy (e.g. --cpu-prof).
 */
export async function startProxy(name, { backendPort, connections, tmp, extraNodeArgs = [] }) {
  if (name === BASELINE) return { port: backendPort, handle: null };
  const port = await freePort();
  let handle;
  let root = null;
  if (name === 'apache') {
    root = serverRoot(tmp, 'apache', httpdConf({ port, backendPort, connections }));
    handle = start('apache2', APACHE, ['-d', root, '-f', join(root, 'httpd.conf'), '-DFOREGROUND'], { cwd: root });
  } else if (name === 'featherd') {
    root = serverRoot(tmp, 'featherd', httpdConf({ port, backendPort, connections }));
    handle = start('featherd', process.execPath, [...extraNodeArgs, FEATHERD, '-d', root, '-f', join(root, 'httpd.conf'), '-DFOREGROUND'], {
      cwd: root,
    });
  } else if (name === 'http-proxy') {
    handle = start('http-proxy', process.execPath, [...extraNodeArgs, join(HERE, 'http-proxy.mjs'), String(port), `http://127.0.0.1:${backendPort}`], {
      cwd: ROOT,
    });
  } else {
    return { error: `unknown proxy ${name}` };
  }
  const problem = await waitReady(handle, answersLikeBackend(port), 20000);
  if (problem) return { error: problem, handle, root };
  return { handle, port, root };
}
