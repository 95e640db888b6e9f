/**
 * The balancer-manager page in a real headless Chromium: the page lists the balancer and its
 * members, the member's form disables it, and traffic moves to the other members.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { get, member, startFeatherd, who, type Member, type Running } from './testing.js';

const CHROMIUM = '/usr/bin/chromium';
const LONG = 120_000;

let browser: BrowserContext | undefined;
let profile = '';
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (.ci/run does)`);
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-chromium-'));
  // A fresh profile directory (Chromium's --user-data-dir) for every run.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, LONG);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(profile, { recursive: true, force: true });
});

afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function spread(port: number, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(who((await get(port, `/app/${i}`)).body));
  return out;
}

it('disables a member through the manager form and the traffic moves', async () => {
  const ms: Member[] = [];
  for (const name of ['m1', 'm2', 'm3']) {
    const m = await member(name);
    cleanup.push(() => m.stop());
    ms.push(m);
  }
  const s: Running = await startFeatherd(() => `
<Proxy "balancer://cluster">
    BalancerMember "http://127.0.0.1:${ms[0].port}" route=r1
    BalancerMember "http://127.0.0.1:${ms[1].port}" route=r2
    BalancerMember "http://127.0.0.1:${ms[2].port}" route=r3
</Proxy>
ProxyPass "/app" "balancer://cluster"
<Location "/balancer-manager">
    SetHandler balancer-manager
    Require ip 127.0.0.1
</Location>
`, ['lbmethod_byrequests', 'authz_host']);
  cleanup.push(() => s.stop());
  expect(new Set(await spread(s.port, 6))).toEqual(new Set(['m1', 'm2', 'm3']));

  const page = await browser!.newPage();
  cleanup.push(() => page.close());
  await page.goto(`http://127.0.0.1:${s.port}/balancer-manager`, { timeout: 15_000 });
  expect(await page.title()).toBe('Balancer Manager');
  expect(await page.locator('h3').first().textContent()).toContain('balancer://cluster');
  const rows = page.locator('table tr', { hasText: 'http://127.0.0.1:' });
  expect(await rows.count()).toBe(3);
  // Live statistics: two requests went to each member.
  expect((await rows.nth(0).locator('td').nth(6).textContent())?.trim()).toBe('2');

  await page.click(`a:has-text("http://127.0.0.1:${ms[0].port}")`, { timeout: 15_000 });
  await page.waitForSelector('form', { timeout: 15_000 });
  expect(await page.locator('h3', { hasText: 'Edit worker settings' }).textContent()).toContain(`127.0.0.1:${ms[0].port}`);
  await page.check('#w_status_D1');
  await Promise.all([page.waitForLoadState('load', { timeout: 15_000 }), page.click('input[type=submit]')]);
  const shot = path.join(os.tmpdir(), 'featherd-balancer-manager.png');
  await page.screenshot({ path: shot, fullPage: true });
  expect(fs.statSync(shot).size).toBeGreaterThan(0);
  const status = await page.locator('table tr', { hasText: `127.0.0.1:${ms[0].port}` }).first().locator('td').nth(5).textContent();
  expect(status).toContain('Dis');

  const after = await spread(s.port, 6);
  expect(after).not.toContain('m1');
  expect(new Set(after)).toEqual(new Set(['m2', 'm3']));
}, LONG);
