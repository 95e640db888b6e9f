/**
 * `node bin/featherd` with `StartServers 2`: a parent holding the PidFile and two worker
 * processes sharing the listener, reloaded by SIGHUP and stopped by SIGTERM through the parent;
 * balancer state that httpd keeps in shared memory (a member's error state, a balancer-manager
 * change) is seen by both workers. Needs the build (`npm run build`), as process.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpBackend, until, type Backend } from '../modules/proxy/runtime/forward.testkit.js';
import { exited, freePort, tempDir } from './testkit.js';

const BIN = fileURLToPath(new URL('../../bin/featherd', import.meta.url));
const MODULES = '/usr/lib/apache2/modules';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function named(name: string): Promise<Backend> {
  const b = await httpBackend((_req, res) => res.end(name));
  cleanup.push(() => b.close());
  return b;
}

/** One request on a connection of its own (the parent hands each connection to a worker in turn). */
function request(port: number, p: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: opts.method ?? 'GET', agent: false, headers: { Host: 'localhost', ...opts.headers } }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

interface Running {
  proc: ChildProcess;
  port: number;
  dir: string;
  pidFile: string;
  errorLog(): string;
}

async function startCluster(members: string[], extra = '', inBalancer = ''): Promise<Running> {
  const dir = tempDir('featherd-cluster-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  const pidFile = path.join(dir, 'featherd.pid');
  fs.writeFileSync(
    conf,
    `ServerRoot "${dir}"
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule proxy_module ${MODULES}/mod_proxy.so
LoadModule proxy_http_module ${MODULES}/mod_proxy_http.so
LoadModule slotmem_shm_module ${MODULES}/mod_slotmem_shm.so
LoadModule proxy_balancer_module ${MODULES}/mod_proxy_balancer.so
LoadModule lbmethod_byrequests_module ${MODULES}/mod_lbmethod_byrequests.so
${extra}ServerName localhost
Listen 127.0.0.1:${port}
PidFile ${pidFile}
ErrorLog ${dir}/error.log
StartServers 2
<Proxy "balancer://pair">
${members.map((m) => `    BalancerMember ${m.includes(' ') ? m : `"${m}"`}`).join('\n')}
${inBalancer}</Proxy>
ProxyPass "/balancer-manager" "!"
ProxyPass "/app" "balancer://pair"
<Location "/balancer-manager">
    SetHandler balancer-manager
</Location>
`,
  );
  const proc = spawn(process.execPath, [BIN, '-d', dir, '-f', conf, '-DFOREGROUND'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  cleanup.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited(proc);
  });
  const errorLog = (): string => {
    try {
      return fs.readFileSync(path.join(dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  };
  await until(() => fs.existsSync(pidFile) || proc.exitCode !== null, 15_000);
  if (proc.exitCode !== null) throw new Error(`featherd exited: ${stderr}`);
  return { proc, port, dir, pidFile, errorLog };
}

/** The PIDs of the processes that wrote lines matching `re` to the error log. */
function pidsOf(log: string, re: RegExp): Set<number> {
  const out = new Set<number>();
  for (const line of log.split('\n')) {
    if (!re.test(line)) continue;
    const m = /\[pid (\d+)/.exec(line);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/** The status text of a member in the balancer-manager's XML. */
function memberStatus(xml: string, port: number): string {
  const at = xml.indexOf(`<httpd:port>${port}</httpd:port>`);
  return at < 0 ? '' : (/<httpd:status>([^<]*)<\/httpd:status>/.exec(xml.slice(at))?.[1] ?? '');
}

/** The manager's XML (its parameters are taken only with a Referer naming this server, as httpd's). */
async function managerXml(port: number): Promise<string> {
  return (await request(port, '/balancer-manager?xml=1', { headers: { Referer: `http://localhost:${port}/balancer-manager` } })).body;
}

/** Waits until `times` answers in a row (each on its own connection, so from both workers) satisfy `ok`. */
async function agreed(port: number, ok: (xml: string) => boolean, times = 6): Promise<void> {
  let inRow = 0;
  const end = Date.now() + 15_000;
  while (inRow < times) {
    if (Date.now() > end) throw new Error(`the workers did not come to agree: ${await managerXml(port)}`);
    inRow = ok(await managerXml(port)) ? inRow + 1 : 0;
  }
}

test('a parent with the PidFile, two workers; SIGHUP reloads both, SIGTERM stops all and removes the PidFile', async () => {
  const one = await named('one');
  const f = await startCluster([`http://127.0.0.1:${one.port}`]);
  const parent = Number(fs.readFileSync(f.pidFile, 'utf8').trim());
  expect(parent).toBe(f.proc.pid);
  await until(() => pidsOf(f.errorLog(), /resuming normal operations/).size === 2);
  const workers = pidsOf(f.errorLog(), /resuming normal operations/);
  expect(workers.has(parent)).toBe(false);
  for (let i = 0; i < 4; i++) expect(await request(f.port, '/app/x')).toEqual({ status: 200, body: 'one' });

  f.proc.kill('SIGHUP');
  // Each worker says once more that it is configured, from the same process (a graceful reload).
  await until(() => f.errorLog().split('\n').filter((l) => /resuming normal operations/.test(l)).length === 4);
  expect(pidsOf(f.errorLog(), /resuming normal operations/)).toEqual(workers);
  expect(f.errorLog().split('\n').filter((l) => /SIGHUP received/.test(l))).toHaveLength(1);
  expect(await request(f.port, '/app/y')).toEqual({ status: 200, body: 'one' });

  const code = exited(f.proc);
  f.proc.kill('SIGTERM');
  expect(await code).toBe(0);
  expect(fs.existsSync(f.pidFile)).toBe(false);
  for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
});

test("both workers see a member's error state and a balancer-manager change", async () => {
  const one = await named('one');
  const two = await named('two');
  const dead = await freePort();
  const f = await startCluster([`http://127.0.0.1:${one.port}`, `http://127.0.0.1:${two.port}`, `http://127.0.0.1:${dead}`]);
  await until(() => pidsOf(f.errorLog(), /resuming normal operations/).size === 2);

  // Requests until one worker tried the dead member and put it in error state.
  const refused = /AH00959: ap_proxy_connect_backend disabling worker/;
  for (let i = 0; i < 30 && pidsOf(f.errorLog(), refused).size === 0; i++) expect((await request(f.port, '/app/x')).status).toBe(200);
  expect(pidsOf(f.errorLog(), refused).size).toBe(1);
  await agreed(f.port, (xml) => memberStatus(xml, dead).includes('Err'));
  // The other worker never tries it: no second process logs the failure.
  for (let i = 0; i < 12; i++) expect((await request(f.port, '/app/x')).status).toBe(200);
  expect(pidsOf(f.errorLog(), refused).size).toBe(1);

  // The manager, reached through one worker, disables member two; both workers then skip it.
  const xml = await managerXml(f.port);
  const nonce = /<httpd:nonce>([^<]+)<\/httpd:nonce>/.exec(xml)?.[1] ?? '';
  expect(nonce).not.toBe('');
  const post = await request(f.port, '/balancer-manager', {
    method: 'POST',
    body: `b=pair&w=${encodeURIComponent(`http://127.0.0.1:${two.port}`)}&nonce=${nonce}&w_status_D=1`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Referer: `http://localhost:${f.port}/balancer-manager` },
  });
  expect(post.status).toBe(200);
  await agreed(f.port, (x) => memberStatus(x, two.port).includes('Dis'));
  for (let i = 0; i < 8; i++) expect(await request(f.port, '/app/x')).toEqual({ status: 200, body: 'one' });
});

test('health checks run in one of the two workers, as httpd runs them in one watchdog', async () => {
  const checks: number[] = [];
  const b = await httpBackend((req, res) => {
    if (req.url === '/hc') checks.push(Date.now());
    res.end('ok');
  });
  cleanup.push(() => b.close());
  const f = await startCluster(
    [`http://127.0.0.1:${b.port} hcmethod=GET hcuri=/hc hcinterval=200ms`],
    `LoadModule proxy_hcheck_module ${MODULES}/mod_proxy_hcheck.so\n`,
  );
  await until(() => pidsOf(f.errorLog(), /resuming normal operations/).size === 2);
  await until(() => checks.length >= 8, 15_000);
  // One checker: a check every 200 ms (plus up to one 100 ms tick). Two would each run their own,
  // and some checks would come less than 100 ms after another.
  const gaps = checks.slice(1).map((t, i) => t - checks[i]);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
});

test('a member added through the balancer-manager of one worker is taken up by the other', async () => {
  const one = await named('one');
  const two = await named('two');
  const f = await startCluster([`http://127.0.0.1:${one.port}`], '', '    ProxySet growth=2\n');
  await until(() => pidsOf(f.errorLog(), /resuming normal operations/).size === 2);
  const post = async (body: string): Promise<number> => {
    const xml = await managerXml(f.port);
    const nonce = /<httpd:nonce>([^<]+)<\/httpd:nonce>/.exec(xml)?.[1] ?? '';
    const r = await request(f.port, '/balancer-manager', {
      method: 'POST',
      body: `b=pair&nonce=${nonce}&${body}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Referer: `http://localhost:${f.port}/balancer-manager` },
    });
    return r.status;
  };
  const added = `http://127.0.0.1:${two.port}`;
  expect(await post(`b_nwrkr=${encodeURIComponent(added)}&b_wyes=1`)).toBe(200);
  // Both workers list it (disabled, as httpd adds it), then both see it enabled.
  await agreed(f.port, (x) => memberStatus(x, two.port).includes('Dis'));
  expect(await post(`w=${encodeURIComponent(added)}&w_status_D=0`)).toBe(200);
  await agreed(f.port, (x) => memberStatus(x, two.port) !== '' && !memberStatus(x, two.port).includes('Dis'));
  const bodies = new Set<string>();
  for (let i = 0; i < 8; i++) bodies.add((await request(f.port, '/app/x')).body);
  expect(bodies).toEqual(new Set(['one', 'two']));
});
