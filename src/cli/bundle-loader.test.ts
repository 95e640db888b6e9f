/**
 * The single-file build that bin/featherd runs (dist/bundle/featherd.cjs, made by `npm run
 * build`, which `npm test` runs first): in a new Node process, as bin/featherd runs it, it
 * loads with the code cache made at build time and answers as the sources do. (A new process,
 * because V8 rejects a code cache made with other V8 flags, and a test in this worker process
 * may have set one.)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli } from './main.js';
import type { CliIo } from './io.js';
import { tempDir } from '../runtime/testkit.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = join(REPO, 'dist', 'bundle', 'featherd.cjs');
const LOADER = pathToFileURL(join(REPO, 'dist', 'cli', 'bundle-loader.js')).href;

interface BundleRun {
  cacheUsed: boolean;
  status: number;
  text: string;
}

/** Load the bundle in a new process (with `cacheFile` as its code cache, when given) and run `argv`. */
function inNewProcess(argv: string[], cwd: string, cacheFile?: string): BundleRun {
  const script = `
    const { loadBundle } = await import(${JSON.stringify(LOADER)});
    const loaded = loadBundle(${JSON.stringify(BUNDLE)}${cacheFile ? `, ${JSON.stringify(cacheFile)}` : ''});
    let text = '';
    const sink = { write: (s) => (text += s) };
    const io = { stdout: sink, stderr: sink, env: { PATH: process.env.PATH }, cwd: ${JSON.stringify(cwd)} };
    const status = await loaded.exports.runCli(${JSON.stringify(argv)}, io);
    process.stdout.write(JSON.stringify({ cacheUsed: loaded.cacheUsed, status, text }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd });
  if (r.status !== 0) throw new Error(`bundle process exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as BundleRun;
}

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
    const expected: [string, number, string][] = [
      [good, 0, "'/app/x' is forwarded to 'http://127.0.0.1:18081/app//x'"],
      [bad, 1, 'AH00526: Syntax error on line 6 of'],
    ];
    for (const [conf, status, text] of expected) {
      const argv = ['-t', '-d', dir, '-f', conf];
      const fromBundle = inNewProcess(argv, dir);
      const fromSources = capture(dir);
      expect(fromBundle.cacheUsed).toBe(true);
      expect([fromBundle.status, fromBundle.text]).toEqual([await runCli(argv, fromSources.io), fromSources.text()]);
      expect(fromBundle.status).toBe(status);
      expect(fromBundle.text).toContain(text);
    }
  });

  test('a cache V8 cannot use is passed over, and the bundle still runs', () => {
    const dir = tempDir('featherd-bundle-');
    const cache = join(dir, 'featherd.cjs.cache');
    writeFileSync(cache, 'not a code cache');
    const run = inNewProcess(['-v'], dir, cache);
    expect(run.cacheUsed).toBe(false);
    expect(run.status).toBe(0);
    expect(run.text).toMatch(/^Server version: featherd\//);
  });
});
