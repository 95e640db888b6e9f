/**
 * mod_remoteip and the access log, as httpd 2.4.71 logs them (observed: `%a %{c}a %h` gives
 * `203.0.113.5 127.0.0.1 203.0.113.5` for a request from 127.0.0.1 with X-Forwarded-For).
 */
import fs from 'node:fs';
import { rawExchange, until } from '../proxy/runtime/forward.testkit.js';
import { startFeatherd } from '../proxy/runtime/forward-proxy.testkit.js';

test('%a and %h log the client from RemoteIPHeader, %{c}a the connection', async () => {
  const f = await startFeatherd(
    (_port, dir) => `LoadModule remoteip_module /usr/lib/apache2/modules/mod_remoteip.so\nRemoteIPHeader X-Forwarded-For\nCustomLog "${dir}/access.log" "%a %{c}a %h"\n`,
  );
  try {
    const r = await rawExchange(f.port, 'GET /x HTTP/1.1\r\nHost: front.test\r\nX-Forwarded-For: 203.0.113.5\r\nConnection: close\r\n\r\n');
    expect(r.status).toBe(404);
    const log = `${f.dir}/access.log`;
    await until(() => fs.existsSync(log) && fs.readFileSync(log, 'utf8').includes('\n'));
    expect(fs.readFileSync(log, 'utf8')).toBe('203.0.113.5 127.0.0.1 203.0.113.5\n');
  } finally {
    await f.stop();
  }
});
