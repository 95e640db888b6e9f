#!/usr/bin/env node
// Bundles the compiled command line (dist/cli/main.js and what it imports) into one CommonJS
// file, dist/bundle/featherd.cjs, with a V8 code cache beside it (featherd.cjs.cache), which
// bin/featherd loads when they are at least as new as dist/cli/main.js. One file instead of
// ~190 saves Node's module loader about 60 ms on every start, and the code cache saves parsing
// and compiling it (another 30 ms); that matters for `featherd -t` in CI. Run by `npm run build`
// after tsc.
//
// Dependencies that are ES module packages (chevrotain, bcryptjs, unixcrypt) are bundled,
// chevrotain from the single-file build it ships, as src/config/chevrotain.ts loads it; the
// CommonJS ones are required from node_modules as usual.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
const bundle = join(outdir, 'featherd.cjs');
const require = createRequire(import.meta.url);
const chevrotain = join(dirname(require.resolve('chevrotain')), '..', 'chevrotain.mjs');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const isEsmPackage = (name) => {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).type === 'module';
  } catch {
    return false; // not installed (a dev dependency): the bundle does not use it
  }
};
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => !isEsmPackage(d));

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  // The sources are ES modules: strict mode, and import.meta.url for the file itself (the
  // bundle sits as deep in dist/ as the files it replaces, so relative paths still hold).
  banner: { js: '"use strict";\nvar __featherdModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__featherdModuleUrl' },
  plugins: [
    {
      name: 'chevrotain-single-file',
      setup(b) {
        // src/config/chevrotain.ts finds this file at run time (with a top-level await,
        // which CommonJS has not); the bundle takes it in directly.
        b.onLoad({ filter: /[/\\]dist[/\\]config[/\\]chevrotain\.js$/ }, () => ({
          contents: `export * from ${JSON.stringify(chevrotain)};`,
          loader: 'js',
        }));
      },
    },
  ],
  logLevel: 'warning',
});

// The code cache: the bundle checks the demo configuration, then V8 saves the bytecode of what
// ran (start-up, reading, the common directive handlers, lint). A cache made after checking
// every example was larger and, in alternating runs of `npm run bench:config`, slower.
const { loadBundle, writeCodeCache } = await import(join(root, 'dist', 'cli', 'bundle-loader.js'));
const loaded = loadBundle(bundle);
const sink = { write: () => true };
const io = { stdout: sink, stderr: sink, env: { PATH: process.env.PATH }, cwd: root };
const status = await loaded.exports.runCli(['-t', '-d', root, '-f', join(root, 'examples', 'demo.conf')], io);
if (status === 0) {
  writeCodeCache(loaded, bundle);
} else {
  // The bundle works without its cache (bundle-loader.test.ts expects one, so the tests say so).
  process.stderr.write(`bundle: featherd -t examples/demo.conf exited ${status}; no code cache written\n`);
}
