/**
 * The single-file build that bin/featherd runs (dist/bundle/featherd.cjs, made by `npm run
 * build`, which `npm test` runs first): it loads with the code cache made at build time and
 * answers as the sources do.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundle } from './bundle-loader.js';
import { runCli } from './main.js';
import type { CliIo } from './io.js';
import { tempDir } from '../runtime/testkit.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = join(REPO, 'dist', 'bundle', 'featherd.cjs');

function capture(cwd: string): { io: CliIo; text: () => string } {
  let text = '';
  const sink = { write: (s: string) => (text += s) };
  return { io: { stdout: sink, stderr: sink, env: { PATH: process.env.PATH }, cwd }, text: () => text };
}

describe('dist/bundle/featherd.cjs', () => {
  test('loads with its code cache and checks configs as the sources do', async () => {
    const dir = tempDir('featherd-bundle-');
    const head = [
      'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so',
      'LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so',
      'ServerName localhost',
      'Listen 127.0.0.1:18080',
      'ProxyPass /app http://127.0.0.1:18081/app/',
    ];
    const good = join(dir, 'good.conf');
    const bad = join(dir, 'bad.conf');
    writeFileSync(good, [...head, ''].join('\n'));
    writeFileSync(bad, [...head, 'ProxyPass /x http://127.0.0.1:18081/ bogus', ''].join('\n'));
    const loaded = loadBundle(BUNDLE);
    expect(loaded.cacheUsed).toBe(true);
    const expected: [string, number, string][] = [
      [good, 0, "'/app/x' is forwarded to 'http://127.0.0.1:18081/app//x'"],
      [bad, 1, 'AH00526: Syntax error on line 6 of'],
    ];
    for (const [conf, status, text] of expected) {
      const argv = ['-t', '-d', dir, '-f', conf];
      const fromBundle = capture(dir);
      const fromSources = capture(dir);
      const bundleStatus = await loaded.exports.runCli(argv, fromBundle.io);
      expect([bundleStatus, fromBundle.text()]).toEqual([await runCli(argv, fromSources.io), fromSources.text()]);
      expect(bundleStatus).toBe(status);
      expect(fromBundle.text()).toContain(text);
    }
  });

  test('a cache V8 cannot use is passed over, and the bundle still runs', async () => {
    const dir = tempDir('featherd-bundle-');
    const cache = join(dir, 'featherd.cjs.cache');
    writeFileSync(cache, 'not a code cache');
    const loaded = loadBundle(BUNDLE, cache);
    expect(loaded.cacheUsed).toBe(false);
    const out = capture(dir);
    expect(await loaded.exports.runCli(['-v'], out.io)).toBe(0);
    expect(out.text()).toMatch(/^Server version: featherd\//);
  });
});
