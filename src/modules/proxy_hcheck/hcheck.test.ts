/**
 * Health checks end to end with featherd: a member whose health check fails stops taking
 * requests after `hcfails` checks and takes them again after `hcpasses` good ones; templates,
 * the HTTP/1.1 methods and conditions on the response. Every wait is bounded.
 */
import fs from 'node:fs';
import { get, member, startFeatherd, who, type Member, type Running } from '../proxy_balancer/testing.js';

const LONG = 60_000;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function spread(port: number, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(who((await get(port, `/app/${i}`)).body));
  return out;
}

async function setup(body: (ms: Member[]) => string): Promise<{ ms: Member[]; s: Running }> {
  const ms: Member[] = [];
  for (const name of ['m1', 'm2']) {
    const m = await member(name);
    cleanup.push(() => m.stop());
    ms.push(m);
  }
  const s = await startFeatherd(() => body(ms), ['lbmethod_byrequests', 'proxy_hcheck']);
  cleanup.push(() => s.stop());
  return { ms, s };
}

it('takes a member out after hcfails failed checks and back after hcpasses good ones (template, GET11)', async () => {
  const { ms, s } = await setup((ms) => `
ProxyHCTemplate quick hcmethod=GET11 hcuri=/health hcinterval=100ms hcfails=2 hcpasses=2
<Proxy balancer://cluster>
    BalancerMember http://127.0.0.1:${ms[0].port}
    BalancerMember http://127.0.0.1:${ms[1].port} hctemplate=quick
</Proxy>
ProxyPass "/app" "balancer://cluster"
`);
  await waitFor(() => ms[1].checks.length >= 1);
  expect(ms[1].checks[0]).toBe('GET /health HTTP/1.1');
  expect(new Set(await spread(s.port, 4))).toEqual(new Set(['m1', 'm2']));
  ms[1].health = 500;
  const before = ms[1].checks.length;
  await waitFor(() => ms[1].checks.length >= before + 3);
  expect(await spread(s.port, 4)).toEqual(['m1', 'm1', 'm1', 'm1']);
  ms[1].health = 200;
  const again = ms[1].checks.length;
  await waitFor(() => ms[1].checks.length >= again + 3);
  expect(await spread(s.port, 4)).toContain('m2');
}, LONG);

it('applies a ProxyHCExpr condition to the response of the check', async () => {
  const { ms, s } = await setup((ms) => `
ProxyHCExpr notmaint {hc('body') !~ /Under maintenance/}
<Proxy balancer://cluster>
    BalancerMember http://127.0.0.1:${ms[0].port}
    BalancerMember http://127.0.0.1:${ms[1].port} hcmethod=GET hcuri=/health hcexpr=notmaint hcinterval=100ms
</Proxy>
ProxyPass "/app" "balancer://cluster"
`);
  // 500 would fail without a condition; the body does not say "Under maintenance" → passes.
  ms[1].health = 200;
  await waitFor(() => ms[1].checks.length >= 2);
  expect(await spread(s.port, 4)).toContain('m2');
  ms[1].health = 503;
  const n = ms[1].checks.length;
  await waitFor(() => ms[1].checks.length >= n + 2);
  expect(ms[1].checks.at(-1)).toBe('GET /health HTTP/1.0');
  expect(await spread(s.port, 4)).toEqual(['m1', 'm1', 'm1', 'm1']);
}, LONG);

it('stops the old checks on a graceful reload', async () => {
  const { ms, s } = await setup((ms) => `
<Proxy balancer://cluster>
    BalancerMember http://127.0.0.1:${ms[0].port}
    BalancerMember http://127.0.0.1:${ms[1].port} hcmethod=GET hcuri=/health-old hcinterval=100ms
</Proxy>
ProxyPass "/app" "balancer://cluster"
`);
  await waitFor(() => ms[1].checks.length >= 2);
  fs.writeFileSync(s.conf, fs.readFileSync(s.conf, 'utf8').replace('/health-old', '/health-new'));
  await s.reload();
  await waitFor(() => ms[1].checks.some((c) => c.includes('/health-new')));
  const old = ms[1].checks.filter((c) => c.includes('/health-old')).length;
  const fresh = ms[1].checks.filter((c) => c.includes('/health-new')).length;
  await waitFor(() => ms[1].checks.filter((c) => c.includes('/health-new')).length >= fresh + 3);
  expect(ms[1].checks.filter((c) => c.includes('/health-old')).length).toBe(old);
}, LONG);
