/**
 * A worker's connection pool holds as many connections as httpd gives a worker in one process:
 * ThreadsPerChild (ap_proxy_initialize_worker lowers `max=` to it, and uses it when `max=` is
 * not given). Requests beyond that wait for a connection.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Pool } from 'undici';
import type { FeatherServer } from '../../../runtime/run.js';
import { freePort, startFromConfig, tempDir } from '../../../runtime/testkit.js';
import type { ProxyGlobal } from '../runtime.js';
import { httpBackend, until, type Backend } from './forward.testkit.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function start(body: string): Promise<{ server: FeatherServer; port: number }> {
  const dir = tempDir('featherd-pool-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(
    conf,
    `ServerRoot "${dir}"
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
Listen 127.0.0.1:${port}
PidFile ${dir}/httpd.pid
ErrorLog ${dir}/error.log
${body}`,
  );
  const r = await startFromConfig(conf, dir);
  if (!r.ok) throw new Error(r.error);
  cleanup.push(() => r.value.stop());
  return { server: r.value, port };
}

/** A backend that holds every request until `release()`. */
async function holdingBackend(): Promise<{ b: Backend; held: http.ServerResponse[]; release(): void }> {
  const held: http.ServerResponse[] = [];
  const b = await httpBackend((_req, res) => void held.push(res));
  cleanup.push(() => b.close());
  return {
    b,
    held,
    release: () => {
      for (const res of held.splice(0)) res.end('ok');
    },
  };
}

function pools(server: FeatherServer): Pool[] {
  const c = server.current();
  for (const v of c.data.values()) {
    const g = v as Partial<ProxyGlobal>;
    if (g.pools instanceof Map && g.generic !== undefined) return [...g.pools.values()];
  }
  return [];
}

function get(port: number, p: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

test.each([
  ['ThreadsPerChild 3', 'ThreadsPerChild 3\n', '', 3],
  ['max= above ThreadsPerChild is lowered to it', 'ThreadsPerChild 2\n', ' max=5', 2],
  ['max= below ThreadsPerChild', 'ThreadsPerChild 4\n', ' max=1', 1],
])('%s', async (_name, mpm, params, want) => {
  const h = await holdingBackend();
  const f = await start(`${mpm}ProxyPass "/" "http://127.0.0.1:${h.b.port}/"${params}\n`);
  const [pool] = pools(f.server);
  const n = want + 2;
  const answers = Array.from({ length: n }, (_, i) => get(f.port, `/r${i}`));
  // `want` requests reach the backend, the others wait in the pool's queue for a connection.
  await until(() => h.held.length === want && pool.stats.pending === n - want);
  expect(pool.stats.connected).toBe(want);
  await until(() => {
    h.release();
    return h.held.length === 0 && pool.stats.pending === 0 && pool.stats.running === 0;
  });
  expect(await Promise.all(answers)).toEqual(Array(n).fill(200));
});
