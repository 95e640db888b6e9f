/**
 * The single-file build of the command line (dist/bundle/featherd.cjs, made by
 * scripts/bundle.mjs), loaded with V8's code cache: the bytecode of the functions a configtest
 * runs, saved at build time next to the bundle. With it, Node neither parses nor compiles the
 * bundle at start (about 30 ms of every `featherd -t`). A cache made by another Node version or
 * with other V8 flags is rejected by V8 and the bundle is compiled as usual; so is a missing one.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import vm from 'node:vm';
import type { CliIo } from './io.js';

/** What the bundle exports (its entry point is dist/cli/main.js). */
export interface CliBundle {
  main(argv: string[]): Promise<number>;
  runCli(argv: string[], io: CliIo): Promise<number>;
}

export interface LoadedBundle {
  exports: CliBundle;
  /** The compiled bundle, to make a code cache from once it has run. */
  script: vm.Script;
  /** Whether a cache was given and V8 used it. */
  cacheUsed: boolean;
}

/** The code cache's file for a bundle. */
export function cacheFileOf(bundle: string): string {
  return `${bundle}.cache`;
}

/** Run the bundle as Node runs a CommonJS file, with its code cache when there is a usable one. */
export function loadBundle(bundle: string, cacheFile = cacheFileOf(bundle)): LoadedBundle {
  const source = readFileSync(bundle, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const module = { exports: {} as CliBundle };
  const wrapper = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: CliBundle },
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return { exports: module.exports, script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** Save the code cache of a loaded bundle: the functions compiled so far are included. */
export function writeCodeCache(loaded: LoadedBundle, bundle: string): number {
  const data = loaded.script.createCachedData();
  writeFileSync(cacheFileOf(bundle), data);
  return data.length;
}
