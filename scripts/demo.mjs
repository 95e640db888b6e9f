#!/usr/bin/env node
// `npm start`: a tiny backend on 127.0.0.1:18080 and featherd on examples/demo.conf in front
// of it (127.0.0.1:8080). Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}/dist/cli/main.js`)) {
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

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
