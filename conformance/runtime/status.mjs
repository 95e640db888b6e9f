#!/usr/bin/env node
// Run featherd (bin/featherd, after `npm run build`) on runtime conformance cases and report which
// ones it passes. Cases are taken from runtime-pending/ and runtime/ unless named on the command line.
//
//   node conformance/runtime/status.mjs [--diff] [--promote] [NAME_FILTER... | CASE_DIR...]
//
// --diff     print the differences for failing cases
// --promote  move passing cases from runtime-pending/ to runtime/ (git mv when inside the repository)
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CASES_DIR, PENDING_DIR, REPO_DIR, compareCase, listCases, pool, readCase, runCase } from './harness.mjs';

const args = process.argv.slice(2);
const showDiff = args.includes('--diff');
const promote = args.includes('--promote');
const rest = args.filter((a) => !a.startsWith('--'));

let cases;
if (rest.length > 0 && rest.every((a) => existsSync(join(a, 'case.json')))) {
  cases = rest.map((d) => readCase(d));
} else {
  const all = [...listCases(PENDING_DIR), ...listCases(CASES_DIR)];
  cases = rest.length === 0 ? all : all.filter((c) => rest.some((f) => c.name.includes(f)));
}

const results = await pool(cases, 3, async (c) => {
  try {
    const { observations, errorLog } = await runCase(c, 'featherd');
    return { c, diffs: compareCase(c, observations), errorLog };
  } catch (err) {
    return { c, diffs: [`could not run: ${err instanceof Error ? err.message : String(err)}`], errorLog: '' };
  }
});

let passing = 0;
for (const { c, diffs } of results) {
  const where = c.dir.startsWith(PENDING_DIR) ? 'pending' : 'live';
  if (diffs.length === 0) passing++;
  process.stdout.write(`${diffs.length === 0 ? 'PASS' : 'FAIL'} ${where.padEnd(7)} ${c.name}${diffs.length ? ` (${diffs.length})` : ''}\n`);
  if (showDiff && diffs.length > 0) process.stdout.write(`  ${diffs.join('\n  ')}\n`);
  if (promote && diffs.length === 0 && where === 'pending') {
    const to = join(CASES_DIR, c.name);
    const git = spawnSync('git', ['mv', relative(REPO_DIR, c.dir), relative(REPO_DIR, to)], { cwd: REPO_DIR });
    if (git.status !== 0) renameSync(c.dir, to);
    process.stdout.write(`  moved to ${relative(REPO_DIR, to)}\n`);
  }
}
process.stdout.write(`${passing}/${results.length} pass\n`);
