#!/usr/bin/env node
// Origin server for the proxy benchmark: answers GET /small with a ~100-byte body and GET /large
// with a 1 MiB body, both with Content-Length and keep-alive. Listens on 127.0.0.1 at the port
// given as the first argument (0 picks one) and prints "listening <port>" once ready.
import { createServer } from 'node:http';

const SMALL = Buffer.from('featherd benchmark: small response body, about one hundred bytes long, plain text.'.padEnd(99, '.') + '\n');
const LARGE = Buffer.alloc(1024 * 1024, 'x');

const server = createServer((req, res) => {
  const path = req.url ?? '/';
  const body = path.startsWith('/large') ? LARGE : path.startsWith('/small') ? SMALL : null;
  if (body === null) {
    res.writeHead(404, { 'content-type': 'text/plain', 'content-length': 10 });
    res.end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.maxRequestsPerSocket = 0;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
