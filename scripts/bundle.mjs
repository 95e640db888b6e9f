#!/usr/bin/env node
// Bundles the compiled command line (dist/cli/main.js and what it imports) into dist/bundle/,
// which bin/featherd loads when it is at least as new as dist/cli/main.js. One file instead of
// ~190 saves Node's module loader about 60 ms on every start, which matters for `featherd -t`
// in CI. The serving code stays in a separate chunk, loaded only when featherd serves;
// packages from node_modules are not bundled. Run by `npm run build` after tsc.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
