#!/usr/bin/env node
// Which conformance cases featherd passes: runs featherd's configtest (from dist/, so run
// `npm run build` first) on every case in cases/ and pending/ and compares with case.json.
//
//   node conformance/tools/featherd-status.mjs [--promote] [--diff] [NAME_FILTER]
//
// --promote moves pending cases that now pass into cases/ (and reports cases/ entries that fail).
// --diff prints the difference for each failing case.
// FEATHERD_DIST=DIR uses DIR instead of dist/ (e.g. a build made with `tsc --outDir DIR`).
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CASES_DIR,
  CONFORMANCE_DIR,
  PENDING_DIR,
  describeDiff,
  featherdExpectation,
  listCases,
  runFeatherd,
} from './harness.mjs';

const args = process.argv.slice(2);
const promote = args.includes('--promote');
const showDiff = args.includes('--diff');
const filter = args.find((a) => !a.startsWith('--'));

const entry = join(process.env.FEATHERD_DIST ?? join(CONFORMANCE_DIR, '..', 'dist'), 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('dist/cli/main.js is missing: run `npm run build` first\n');
  process.exit(2);
}
const { runCli } = await import(pathToFileURL(entry).href);

const rows = [];
for (const [where, root] of [['cases', CASES_DIR], ['pending', PENDING_DIR]]) {
  for (const c of listCases(root)) {
    if (filter && !c.name.includes(filter)) continue;
    const got = await runFeatherd(c, runCli);
    const want = featherdExpectation(c.spec);
    const pass = got.output === want.output && got.exit === want.exit;
    rows.push({ where, c, pass, got, want });
  }
}

let moved = 0;
for (const r of rows) {
  if (r.pass && r.where === 'pending' && promote) {
    mkdirSync(CASES_DIR, { recursive: true });
    renameSync(r.c.dir, join(CASES_DIR, r.c.name));
    moved++;
  }
  if (!r.pass) {
    process.stdout.write(`FAIL ${r.where}/${r.c.name}\n`);
    if (showDiff) process.stdout.write(`${describeDiff(r.want.output, r.got.output).replace(/^/gm, '    ')}\n`);
  }
}
const count = (where, pass) => rows.filter((r) => r.where === where && r.pass === pass).length;
process.stdout.write(
  `cases/: ${count('cases', true)} pass, ${count('cases', false)} fail; ` +
    `pending/: ${count('pending', true)} pass, ${count('pending', false)} fail` +
    (promote ? `; moved ${moved} into cases/` : '') +
    '\n',
);
process.exitCode = count('cases', false) > 0 ? 1 : 0;
