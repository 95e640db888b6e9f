/**
 * `node bin/featherd` as a real process: it serves a config file, writes its PidFile, reloads
 * on SIGHUP (and `-k graceful`), keeps serving when the new config is broken, and stops on
 * SIGTERM (removing the PidFile) or with `-k stop`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpBackend, rawExchange, until, type Backend } from '../modules/proxy/runtime/forward.testkit.js';
import { exited, freePort, tempDir } from './testkit.js';

const BIN = fileURLToPath(new URL('../../bin/featherd', import.meta.url));
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function named(name: string): Promise<Backend> {
  const b = await httpBackend((_req, res) => res.end(name));
  cleanup.push(() => b.close());
  return b;
}

function config(dir: string, port: number, backend: number, extra = ''): string {
  return `ServerRoot "${dir}"
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
ServerName localhost
Listen 127.0.0.1:${port}
PidFile ${dir}/featherd.pid
ErrorLog ${dir}/error.log
ProxyPass / http://127.0.0.1:${backend}/
${extra}`;
}

async function body(port: number): Promise<string> {
  const r = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  return r.body.toString();
}

async function eventually(port: number, want: string): Promise<void> {
  const end = Date.now() + 10_000;
  for (;;) {
    const got = await body(port).catch(() => '');
    if (got === want) return;
    if (Date.now() > end) throw new Error(`still "${got}", not "${want}"`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('serves, reloads on SIGHUP and -k graceful, refuses a broken config, stops on SIGTERM and -k stop', async () => {
  const dir = tempDir('featherd-proc-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const [a, b, c] = [await named('a'), await named('b'), await named('c')];
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(conf, config(dir, port, a.port));
  const child = spawn(process.execPath, [BIN, '-f', conf, '-DFOREGROUND'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  cleanup.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const pidFile = path.join(dir, 'featherd.pid');
  await until(() => fs.existsSync(pidFile), 15_000);
  expect(fs.readFileSync(pidFile, 'utf8')).toBe(`${child.pid}\n`);
  await eventually(port, 'a');

  fs.writeFileSync(conf, config(dir, port, b.port));
  child.kill('SIGHUP');
  await eventually(port, 'b');

  // A broken config: logged, the running one keeps serving.
  fs.writeFileSync(conf, config(dir, port, c.port, 'ProxyPass /only-a-path\n'));
  child.kill('SIGHUP');
  await until(() => fs.readFileSync(path.join(dir, 'error.log'), 'utf8').includes('configuration not reloaded'), 10_000);
  expect(await body(port)).toBe('b');

  // -k graceful signals the process in the PidFile (SIGUSR1).
  fs.writeFileSync(conf, config(dir, port, c.port));
  const k = spawnSync(process.execPath, [BIN, '-f', conf, '-k', 'graceful'], { encoding: 'utf8' });
  expect(k.status).toBe(0);
  await eventually(port, 'c');
  const log = fs.readFileSync(path.join(dir, 'error.log'), 'utf8');
  expect(log).toContain('AH00494: SIGHUP received.  Attempting to restart');
  expect(log).toContain('AH00493: SIGUSR1 received.  Doing graceful restart');

  const code = exited(child);
  child.kill('SIGTERM');
  expect(await code).toBe(0);
  expect(fs.existsSync(pidFile)).toBe(false);
  expect(stderr).toBe('');

  // -k start runs the server; -k stop (from another process) ends it.
  const again = spawn(process.execPath, [BIN, '-f', conf, '-k', 'start'], { stdio: 'ignore' });
  cleanup.push(() => {
    if (again.exitCode === null) again.kill('SIGKILL');
  });
  await until(() => fs.existsSync(pidFile), 15_000);
  await eventually(port, 'c');
  const stopped = exited(again);
  expect(spawnSync(process.execPath, [BIN, '-f', conf, '-k', 'stop'], { encoding: 'utf8' }).status).toBe(0);
  expect(await stopped).toBe(0);
  const none = spawnSync(process.execPath, [BIN, '-f', conf, '-k', 'stop'], { encoding: 'utf8' });
  expect(none.stderr).toBe('featherd (no pid file) not running\n');
});
