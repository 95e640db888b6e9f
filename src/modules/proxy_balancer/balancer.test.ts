/**
 * Balancers end to end: the same configuration and traffic against real Apache httpd and
 * featherd (member sequences, BALANCER_* variables in the access log, balancer-manager changes
 * and BalancerPersist over a graceful reload), and featherd alone under faults (members killed
 * and revived under a bounded load; no request lost where httpd fails over).
 */
import fs from 'node:fs';
import path from 'node:path';
import { get, member, request, startApache, startFeatherd, who, type Member, type Running } from './testing.js';

/** Per test: starting Apache and featherd several times takes seconds on a busy machine. */
const LONG = 120_000;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function members(n: number, opts: { close?: boolean } = {}): Promise<Member[]> {
  const out: Member[] = [];
  for (let i = 1; i <= n; i++) {
    const m = await member(`m${i}`, opts);
    cleanup.push(() => m.stop());
    out.push(m);
  }
  return out;
}

type Kind = 'apache' | 'featherd';
const start = async (kind: Kind, body: (dir: string, port: number) => string, modules?: string[]): Promise<Running> => {
  const r = kind === 'apache' ? await startApache(body, modules) : await startFeatherd(body, modules);
  cleanup.push(() => r.stop());
  return r;
};

/**
 * Waits until no member counts a request in flight (`Busy`). httpd and featherd both lower the
 * count only after the response went out, so right after a client read a response the count may
 * still include it; pages compared between the two are taken once both are idle.
 */
async function idle(port: number): Promise<void> {
  const referer = { Referer: `http://127.0.0.1:${port}/balancer-manager` };
  const end = Date.now() + 10_000;
  for (;;) {
    const xml = (await get(port, '/balancer-manager?xml=1', referer)).body;
    const busy = [...xml.matchAll(/<httpd:busy>(\d+)<\/httpd:busy>/g)].map((m) => Number(m[1]));
    if (busy.length > 0 && busy.every((n) => n === 0)) return;
    if (Date.now() > end) throw new Error(`members still busy 10 s after the last request: ${busy.join(', ') || 'no members listed'}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function sequence(port: number, n: number, target = '/app/x', headers: Record<string, string> = {}): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await get(port, target, headers);
    out.push(r.status === 200 ? who(r.body) : String(r.status));
  }
  return out;
}

describe('the same traffic through Apache and featherd', () => {
  it('sets BALANCER_* variables as Apache does (access log)', async () => {
    const ms = await members(3);
    const body = (dir: string): string => `
LogFormat "%{BALANCER_NAME}e|%{BALANCER_WORKER_NAME}e|%{BALANCER_WORKER_ROUTE}e|%{BALANCER_ROUTE_CHANGED}e|%{BALANCER_SESSION_STICKY}e|%{BALANCER_SESSION_ROUTE}e|%>s" bal
CustomLog ${dir}/access.log bal
<Proxy "balancer://mycluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}" route=1
    BalancerMember "http://127.0.0.1:${ms[1].port}" route=2
    BalancerMember "http://127.0.0.1:${ms[2].port}"
    ProxySet stickysession=ROUTEID|routeid
</Proxy>
ProxyPass "/app" "balancer://mycluster"
`;
    const traffic: [string, Record<string, string>][] = [
      ['/app/a', {}],
      ['/app/b', { Cookie: 'ROUTEID=.2' }],
      ['/app/c', { Cookie: 'ROUTEID=.1' }],
      ['/app/d;routeid=x.2', {}],
      ['/app/e', { Cookie: 'ROUTEID=.9' }],
      ['/app/f', { Cookie: 'ROUTEID=nodot' }],
      ['/app/g', {}],
    ];
    const logs: Record<Kind, string[]> = { apache: [], featherd: [] };
    for (const kind of ['apache', 'featherd'] as Kind[]) {
      const s = await start(kind, body);
      for (const [t, h] of traffic) await get(s.port, t, h);
      const file = path.join(s.dir, 'access.log');
      const end = Date.now() + 5000;
      while (Date.now() < end && (!fs.existsSync(file) || fs.readFileSync(file, 'utf8').trim().split('\n').length < traffic.length)) await new Promise((r) => setTimeout(r, 50));
      logs[kind] = fs.readFileSync(file, 'utf8').trim().split('\n');
      await s.stop();
      cleanup.pop();
    }
    expect(logs.apache).toHaveLength(traffic.length);
    expect(logs.featherd).toEqual(logs.apache);
  }, LONG);

  it.each(['On', 'Off'])('balancer-manager changes, then a graceful reload with BalancerPersist %s', async (persist) => {
    const ms = await members(3);
    const body = (): string => `
BalancerPersist ${persist}
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}"
    BalancerMember "http://127.0.0.1:${ms[1].port}" loadfactor=2
    BalancerMember "http://127.0.0.1:${ms[2].port}"
</Proxy>
ProxyPass "/app" "balancer://cluster"
<Location "/balancer-manager">
    SetHandler balancer-manager
    Require all granted
</Location>
`;
    const seen: Record<Kind, string[][]> = { apache: [], featherd: [] };
    for (const kind of ['apache', 'featherd'] as Kind[]) {
      const s = await start(kind, body);
      const rec = seen[kind];
      rec.push(await sequence(s.port, 8));
      const page = await get(s.port, '/balancer-manager');
      const nonce = /nonce=([0-9a-f-]{36})/.exec(page.body)?.[1] ?? '';
      const referer = `http://127.0.0.1:${s.port}/balancer-manager`;
      const form = (fields: Record<string, string>): string => new URLSearchParams({ ...fields, b: 'cluster', nonce }).toString();
      // Without the Referer the change is ignored (httpd's cross-site check).
      await request(s.port, 'POST', '/balancer-manager', { 'Content-Type': 'application/x-www-form-urlencoded' }, form({ w: `http://127.0.0.1:${ms[0].port}`, w_status_D: '1' }));
      rec.push(await sequence(s.port, 6));
      await request(s.port, 'POST', '/balancer-manager', { 'Content-Type': 'application/x-www-form-urlencoded', Referer: referer }, form({ w: `http://127.0.0.1:${ms[0].port}`, w_status_D: '1' }));
      await request(s.port, 'POST', '/balancer-manager', { 'Content-Type': 'application/x-www-form-urlencoded', Referer: referer }, form({ w: `http://127.0.0.1:${ms[2].port}`, w_lf: '3' }));
      rec.push(await sequence(s.port, 8));
      await s.reload();
      rec.push(await sequence(s.port, 8));
      await s.stop();
      cleanup.pop();
    }
    expect(seen.featherd).toEqual(seen.apache);
  }, LONG);

  it('shows the balancer-manager pages as Apache does', async () => {
    const ms = await members(2);
    const body = (): string => `
ProxyHCExpr ok234 {%{REQUEST_STATUS} =~ /^[234]/}
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}" route=r1 hcmethod=TCP
    BalancerMember "http://127.0.0.1:${ms[1].port}/x/" loadfactor=2.5 status=+H
    ProxySet stickysession=JS|js
</Proxy>
ProxyPass "/app" "balancer://cluster"
<Location "/balancer-manager">
    SetHandler balancer-manager
</Location>
`;
    const pages: Record<Kind, string[]> = { apache: [], featherd: [] };
    for (const kind of ['apache', 'featherd'] as Kind[]) {
      const s = await start(kind, body, ['lbmethod_byrequests', 'proxy_hcheck']);
      for (let i = 0; i < 3; i++) await get(s.port, `/app/${i}`);
      await idle(s.port);
      const main = (await get(s.port, '/balancer-manager')).body;
      const nonce = /nonce=([0-9a-f-]{36})/.exec(main)?.[1] ?? '';
      const referer = { Referer: `http://127.0.0.1:${s.port}/balancer-manager` };
      const worker = (await get(s.port, `/balancer-manager?b=cluster&w=http://127.0.0.1:${ms[0].port}&nonce=${nonce}`, referer)).body;
      const bal = (await get(s.port, `/balancer-manager?b=cluster&nonce=${nonce}`, referer)).body;
      const xml = (await get(s.port, '/balancer-manager?xml=1', referer)).body;
      const norm = (t: string): string =>
        t
          .split(nonce).join('NONCE')
          .split(String(s.port)).join('PORT')
          .split(String(ms[0].port)).join('M1')
          .split(String(ms[1].port)).join('M2')
          .replace(/Server (Version|Built): [^<]*/g, 'Server $1: X')
          .replace(/\[p[0-9a-f]+_cluster\]/, '[ID_cluster]')
          // httpd sizes connection pools by ThreadsPerChild; featherd's pools hold 25 (max= aside).
          .replace(/<httpd:(s?max)>\d+</g, '<httpd:$1>N<');
      pages[kind] = [norm(main), norm(worker), norm(bal), norm(xml)];
      await s.stop();
      cleanup.pop();
    }
    expect(pages.featherd[0]).toEqual(pages.apache[0]);
    expect(pages.featherd[1]).toEqual(pages.apache[1]);
    expect(pages.featherd[2]).toEqual(pages.apache[2]);
    expect(pages.featherd[3]).toEqual(pages.apache[3]);
  }, LONG);

  it('adds a member through the manager (growth=), disabled until enabled, as Apache', async () => {
    const ms = await members(3);
    const body = (): string => `
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}"
    BalancerMember "http://127.0.0.1:${ms[1].port}"
    ProxySet growth=1 lbmethod=byrequests
</Proxy>
ProxyPass "/app" "balancer://cluster"
<Location "/balancer-manager">
    SetHandler balancer-manager
</Location>
`;
    const seen: Record<Kind, string[]> = { apache: [], featherd: [] };
    for (const kind of ['apache', 'featherd'] as Kind[]) {
      const s = await start(kind, body);
      const rec = seen[kind];
      const page = await get(s.port, '/balancer-manager');
      const nonce = /nonce=([0-9a-f-]{36})/.exec(page.body)?.[1] ?? '';
      const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Referer: `http://127.0.0.1:${s.port}/balancer-manager` };
      const post = (f: Record<string, string>) => request(s.port, 'POST', '/balancer-manager', headers, new URLSearchParams({ ...f, b: 'cluster', nonce }).toString());
      const added = await post({ b_nwrkr: `http://127.0.0.1:${ms[2].port}`, b_wyes: '1' });
      rec.push(String(added.status), /<td>(\d+ \[\d+ Used\])<\/td>/.exec(added.body)?.[1] ?? '');
      rec.push(...(await sequence(s.port, 4)));
      rec.push(String((await post({ b_nwrkr: 'http://127.0.0.1:1', b_wyes: '1' })).status));
      await post({ w: `http://127.0.0.1:${ms[2].port}`, w_status_D: '0', w_lf: '2' });
      rec.push(...(await sequence(s.port, 8)));
      await s.stop();
      cleanup.pop();
    }
    expect(seen.featherd).toEqual(seen.apache);
    expect(seen.featherd.slice(-8)).toContain('m3');
  }, LONG);

  it('heartbeat: members with free slots in HeartbeatStorage take requests, as Apache', async () => {
    const ms = await members(1);
    const body = (dir: string): string => `
HeartbeatStorage ${dir}/hb.dat
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}"
    ProxySet lbmethod=heartbeat
</Proxy>
ProxyPass "/app" "balancer://cluster"
`;
    const seen: Record<Kind, string[]> = { apache: [], featherd: [] };
    for (const kind of ['apache', 'featherd'] as Kind[]) {
      const s = await start(kind, body, ['lbmethod_heartbeat']);
      const file = path.join(s.dir, 'hb.dat');
      const rec = seen[kind];
      rec.push(...(await sequence(s.port, 2)));
      fs.writeFileSync(file, `127.0.0.1 ready=10&busy=1&lastseen=1&port=${ms[0].port}\n`);
      rec.push(...(await sequence(s.port, 3)));
      fs.writeFileSync(file, `127.0.0.1 ready=10&busy=1&lastseen=30&port=${ms[0].port}\n`);
      rec.push(...(await sequence(s.port, 2)));
      await s.stop();
      cleanup.pop();
    }
    expect(seen.featherd).toEqual(seen.apache);
  }, LONG);

  it('fails over from a killed member and takes it back after retry=, as Apache', async () => {
    const ms = await members(3, { close: true });
    const body = (): string => `
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}" retry=1
    BalancerMember "http://127.0.0.1:${ms[1].port}" retry=1
    BalancerMember "http://127.0.0.1:${ms[2].port}" retry=1
</Proxy>
ProxyPass "/app" "balancer://cluster"
`;
    const seen: Record<Kind, string[][]> = { apache: [], featherd: [] };
    for (const kind of ['apache', 'featherd'] as Kind[]) {
      const s = await start(kind, body);
      const rec = seen[kind];
      rec.push(await sequence(s.port, 4));
      await ms[1].stop();
      rec.push(await sequence(s.port, 6));
      await ms[1].start();
      rec.push(await sequence(s.port, 3));
      await new Promise((r) => setTimeout(r, 1300));
      rec.push(await sequence(s.port, 6));
      await s.stop();
      cleanup.pop();
    }
    expect(seen.featherd).toEqual(seen.apache);
    expect(seen.featherd[1]).not.toContain('m2');
    expect(seen.featherd[3]).toContain('m2');
  }, LONG);
});

describe('featherd under faults', () => {
  it('loses no request while members are killed and revived under load', async () => {
    const ms = await members(3, { close: true });
    const s = await start('featherd', () => `
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}" retry=1
    BalancerMember "http://127.0.0.1:${ms[1].port}" retry=1
    BalancerMember "http://127.0.0.1:${ms[2].port}" retry=1
</Proxy>
ProxyPass "/app" "balancer://cluster"
`);
    const total = 300;
    const statuses: number[] = [];
    let sent = 0;
    const faults = async (): Promise<void> => {
      // Members go down and come back while requests are in flight; at least one stays up.
      const plan: [number, number, 'stop' | 'start'][] = [[40, 1, 'stop'], [90, 2, 'stop'], [130, 1, 'start'], [170, 0, 'stop'], [200, 2, 'start'], [240, 0, 'start']];
      for (const [at, i, what] of plan) {
        const end = Date.now() + 20_000;
        while (sent < at && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
        await (what === 'stop' ? ms[i].stop() : ms[i].start());
      }
    };
    const worker = async (): Promise<void> => {
      while (sent < total) {
        sent++;
        const r = await request(s.port, sent % 5 === 0 ? 'POST' : 'GET', `/app/load/${sent}`, { 'Content-Type': 'text/plain' }, sent % 5 === 0 ? `body ${sent}` : undefined);
        statuses.push(r.status);
      }
    };
    await Promise.all([faults(), ...Array.from({ length: 6 }, worker)]);
    expect(statuses).toHaveLength(total);
    // A refused connection fails over: no 503 while a member is up. A connection a dying member
    // had accepted but not answered is reset: httpd answers 502 there too (no failover once
    // connected), at most once per request in flight when a member stops.
    expect(statuses.filter((st) => st !== 200 && st !== 502)).toEqual([]);
    const reset = statuses.filter((st) => st === 502).length;
    expect(reset).toBeLessThanOrEqual(6 * 3);
    expect(ms.map((m) => m.hits).reduce((a, b) => a + b, 0)).toBe(total - reset);
    // Every member served some of the load.
    for (const m of ms) expect(m.hits).toBeGreaterThan(0);
  }, LONG);

  it('sends a large request body whole to the next member when the first refuses', async () => {
    const ms = await members(2, { close: true });
    const s = await start('featherd', () => `
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}" retry=0
    BalancerMember "http://127.0.0.1:${ms[1].port}"
</Proxy>
ProxyPass "/app" "balancer://cluster"
LogLevel proxy:error
`);
    await ms[0].stop();
    // retry=0: the refusing member is tried again on every other request, and the request,
    // body included, then goes to m2 (prefetched part and the rest still unread).
    for (const size of [10, 10, 20_000, 20_000, 300_000, 300_000]) {
      const r = await request(s.port, 'POST', '/app/upload', { 'Content-Type': 'application/octet-stream' }, 'x'.repeat(size));
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ member: 'm2', url: '/upload', len: size });
    }
    const log = fs.readFileSync(path.join(s.dir, 'error.log'), 'utf8');
    expect(log.split('AH00959').length - 1).toBeGreaterThanOrEqual(3);
  }, LONG);

  it('answers 503 while every member is down and serves again once one is back', async () => {
    const ms = await members(2, { close: true });
    const s = await start('featherd', () => `
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}"
    BalancerMember "http://127.0.0.1:${ms[1].port}"
</Proxy>
ProxyPass "/app" "balancer://cluster"
`);
    await ms[0].stop();
    await ms[1].stop();
    expect((await get(s.port, '/app/x')).status).toBe(503);
    await ms[1].start();
    // forcerecovery (default On) clears the error state when every member is in error.
    expect(await sequence(s.port, 2)).toEqual(['m2', 'm2']);
  }, LONG);

  it('stops health checks with the server', async () => {
    const ms = await members(1);
    const s = await start(
      'featherd',
      () => `
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}" hcmethod=GET hcuri=/hc hcinterval=100ms
</Proxy>
ProxyPass "/app" "balancer://cluster"
`,
      ['lbmethod_byrequests', 'proxy_hcheck'],
    );
    const end = Date.now() + 5000;
    while (ms[0].hits < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(ms[0].urls.filter((u) => u === '/hc').length).toBeGreaterThanOrEqual(2);
    await s.stop();
    cleanup.pop();
    const after = ms[0].hits;
    await new Promise((r) => setTimeout(r, 600));
    expect(ms[0].hits).toBe(after);
  }, LONG);
});
