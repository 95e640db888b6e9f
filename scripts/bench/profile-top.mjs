#!/usr/bin/env node
// Summary of a V8 .cpuprofile (from `npm run bench -- --cpu-prof DIR`): the functions with the
// most self time, and self time by source file (node internals, undici, featherd's own files).
//   node scripts/bench/profile-top.mjs FILE.cpuprofile... [N] [--callers NAME] [--skip S]
// --skip leaves out the first S seconds (start-up: reading the config, compiling modules).
// With --callers, also the call stacks (innermost first) that lead to functions named NAME.
// V8 samples wall-clock time: on a busy machine the socket writes (writev, writeLatin1String)
// include the time the process was switched out after waking the reader, so they weigh more
// here than in its CPU time (compare the benchmark's CPU ms/1k req, or use perf).
import { readFileSync } from 'node:fs';

// Reading into `head` or `less` that quits early is fine.
process.stdout.on('error', () => process.exit(0));

const args = process.argv.slice(2);
const callersAt = args.indexOf('--callers');
const callersOf = callersAt === -1 ? null : args.splice(callersAt, 2)[1];
const skipAt = args.indexOf('--skip');
const skipUs = skipAt === -1 ? 0 : Number(args.splice(skipAt, 2)[1]) * 1e6;
const depth = 16;
// Several files (e.g. one per featherd server process) are summarised one after the other;
// a file with less than 0.1 s of busy time (an idle parent process) gets one line.
const files = args.filter((a) => !/^\d+$/.test(a));
const count = args.find((a) => /^\d+$/.test(a));
if (files.length === 0) {
  process.stderr.write('usage: node scripts/bench/profile-top.mjs FILE.cpuprofile... [N]\n');
  process.exit(2);
}
const top = Number(count ?? 25);
for (const file of files) summarise(file);

function summarise(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const deltas = profile.timeDeltas;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += deltas[i] ?? 0;
    if (at < skipUs) continue;
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
  if (total < 1e5) return;
  print('self time by function', byFunction);
  print('self time by file', byFile);

  // Inclusive time of the project's own functions (dist/ or src/): self time of a node and all
  // nodes under it, each function counted once per stack.
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const inclusive = new Map();
  for (const [id, us] of selfUs) {
    const seen = new Set();
    for (let p = id; p !== undefined; p = parentOf.get(p)) {
      const f = byId.get(p).callFrame;
      if (!/\/(dist|src)\//.test(f.url) || /node_modules/.test(f.url)) continue;
      const name = `${f.functionName || '(anonymous)'}  ${f.url.replace(/^.*\/(dist|src)\//, '$1/')}:${f.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  print("inclusive time of featherd's own functions", inclusive);

  if (callersOf) {
    const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    const stacks = new Map();
    for (const [id, us] of selfUs) {
      if (byId.get(id).callFrame.functionName !== callersOf) continue;
      const chain = [];
      for (let p = parentOf.get(id); p !== undefined && chain.length < depth; p = parentOf.get(p)) chain.push(label(byId.get(p)));
      const key = chain.join('\n      < ');
      stacks.set(key, (stacks.get(key) ?? 0) + us);
    }
    process.stdout.write(`callers of ${callersOf}\n`);
    for (const [k, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) process.stdout.write(`  ${pct(us)}  < ${k}\n`);
  }
}
