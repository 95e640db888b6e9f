#!/usr/bin/env node
// Record what real Apache prints for conformance cases: runs `apache2 -t` on each case directory
// given and writes the normalised result into its case.json `expect` (other fields are kept).
//
//   node conformance/tools/record.mjs [--source TEXT] [--check] CASE_DIR...
//
// --source sets `source` for case.json files that do not exist yet (default 'edge case').
// --check only compares and exits 1 on a difference (nothing is written).
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { APACHE_BIN, APACHE_MISSING, describeDiff, pool, readCase, runApache } from './harness.mjs';

const args = process.argv.slice(2);
let source = 'edge case';
let check = false;
const dirs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--source') source = args[++i];
  else if (args[i] === '--check') check = true;
  else dirs.push(resolve(args[i]));
}
if (!existsSync(APACHE_BIN)) {
  process.stderr.write(`${APACHE_MISSING}\n`);
  process.exit(2);
}
if (dirs.length === 0) {
  process.stderr.write('usage: record.mjs [--source TEXT] [--check] CASE_DIR...\n');
  process.exit(2);
}

let differences = 0;
await pool(dirs, 4, async (dir) => {
  const file = join(dir, 'case.json');
  if (!existsSync(file)) {
    writeFileSync(file, `${JSON.stringify({ source, expect: {}, defines: [] }, null, 2)}\n`);
  }
  const c = readCase(dir);
  const got = await runApache(c);
  const before = JSON.stringify(c.spec.expect ?? {});
  const after = JSON.stringify(got);
  if (check) {
    if (before !== after) {
      differences++;
      process.stdout.write(`${c.name}: differs\n${describeDiff(c.spec.expect?.output ?? '', got.output)}\n`);
    }
    return;
  }
  const spec = { ...c.spec, expect: got };
  const ordered = { source: spec.source, expect: spec.expect, defines: spec.defines ?? [] };
  for (const [k, v] of Object.entries(spec)) if (!(k in ordered)) ordered[k] = v;
  writeFileSync(file, `${JSON.stringify(ordered, null, 2)}\n`);
  process.stdout.write(`${c.name}: ${got.verdict} (exit ${got.exit})${before === after ? '' : ' [updated]'}\n`);
  if (got.verdict === 'error') process.stdout.write(`  ${got.output.split('\n').join('\n  ')}\n`);
});
process.exitCode = differences > 0 ? 1 : 0;
