/**
 * A worker URL of the form `unix:/path/to.sock|http://host/path` (httpd 2.4.7+): the connection
 * goes to the Unix domain socket, and the request names the URL's host in its Host header and
 * its path in the request line, as httpd 2.4.71 sends them (checked with Apache by hand:
 * `GET /v1/x?q=1`, `Host: backend.test`).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { freePort, startFromConfig, tempDir } from '../../../runtime/testkit.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

test('a unix: worker is reached through its socket, with the URL host as Host', async () => {
  const dir = tempDir('featherd-uds-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sock = path.join(dir, 'backend.sock');
  const seen: { url?: string; host?: string }[] = [];
  const backend = http.createServer((req, res) => {
    seen.push({ url: req.url, host: req.headers.host });
    res.end(`from the socket: ${req.url}`);
  });
  await new Promise<void>((r) => backend.listen(sock, r));
  cleanup.push(() => new Promise<void>((r) => backend.close(() => r())));

  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(
    conf,
    `LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
ServerName localhost
Listen 127.0.0.1:${port}
ErrorLog ${dir}/error.log
PidFile ${dir}/httpd.pid
ProxyPass /api/ "unix:${sock}|http://backend.test/v1/"
`,
  );
  const started = await startFromConfig(conf, dir);
  if (!started.ok) throw new Error(started.error);
  cleanup.push(() => started.value.stop());

  const res = await fetch(`http://127.0.0.1:${port}/api/x?q=1`);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('from the socket: /v1/x?q=1');
  expect(seen).toEqual([{ url: '/v1/x?q=1', host: 'backend.test' }]);
});
