#!/usr/bin/env node
// Record what real Apache httpd does for runtime conformance cases, into each case.json's `expect`.
//
//   node conformance/runtime/record.mjs [--check] [--show] CASE_DIR...
//
// --check  compare with the recorded expectations instead of writing them (exit 1 on differences)
// --show   also print Apache's observations and its error.log
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareCase, pool, readCase, runCase } from './harness.mjs';

const args = process.argv.slice(2);
const check = args.includes('--check');
const show = args.includes('--show');
const dirs = args.filter((a) => !a.startsWith('--') && existsSync(join(a, 'case.json')));
const skipped = args.filter((a) => !a.startsWith('--') && !dirs.includes(a));
if (skipped.length > 0) process.stderr.write(`not case directories (no case.json): ${skipped.join(' ')}\n`);
if (dirs.length === 0) {
  process.stderr.write('usage: record.mjs [--check] [--show] CASE_DIR...\n');
  process.exit(2);
}

let failed = 0;
await pool(dirs, 3, async (dir) => {
  const c = readCase(dir);
  let result;
  try {
    result = await runCase(c, 'apache');
  } catch (err) {
    failed++;
    process.stdout.write(`${c.name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return;
  }
  if (show) {
    process.stdout.write(`${c.name}:\n${JSON.stringify(result.observations, null, 2)}\n--- error.log ---\n${result.errorLog}\n`);
  }
  if (check) {
    const diffs = compareCase(c, result.observations);
    if (diffs.length > 0) failed++;
    process.stdout.write(diffs.length === 0 ? `${c.name}: ok\n` : `${c.name}:\n  ${diffs.join('\n  ')}\n`);
    return;
  }
  const spec = { ...c.spec, expect: result.observations };
  writeFileSync(join(c.dir, 'case.json'), `${JSON.stringify(spec, null, 2)}\n`);
  process.stdout.write(`${c.name}: recorded ${result.observations.length} request(s)\n`);
});
process.exit(failed > 0 ? 1 : 0);
