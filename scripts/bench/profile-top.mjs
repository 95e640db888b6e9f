#!/usr/bin/env node
// Summary of a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): the functions with the
// most self time, and self time by source file (node internals, undici, featherd's own files).
//   node scripts/bench/profile-top.mjs FILE.cpuprofile [N]
import { readFileSync } from 'node:fs';

const [file, count] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/bench/profile-top.mjs FILE.cpuprofile [N]\n');
  process.exit(2);
}
const top = Number(count ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0));
}
const all = [...selfUs.values()].reduce((a, b) => a + b, 0);
// Percentages are of the busy time: idle samples are left out.
for (const id of [...selfUs.keys()]) if (byId.get(id).callFrame.functionName === '(idle)') selfUs.delete(id);
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map();
const byFile = new Map();
for (const [id, us] of selfUs) {
  const { callFrame: f } = byId.get(id);
  const where = f.url ? f.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/(dist|src)\//, '$1/') : '(native)';
  const name = `${f.functionName || '(anonymous)'}  ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  byFile.set(where, (byFile.get(where) ?? 0) + us);
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const print = (title, map) => {
  process.stdout.write(`${title}\n`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pct(us)}  ${k}\n`);
};
process.stdout.write(`${file}: ${(all / 1e6).toFixed(1)} s sampled, ${(total / 1e6).toFixed(1)} s busy (percentages of busy time)\n`);
print('self time by function', byFunction);
print('self time by file', byFile);
