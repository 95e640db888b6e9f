#!/usr/bin/env node
// Configtest benchmark: a generated config with many <VirtualHost> blocks of ProxyPass rules,
// checked by `featherd -t` and by real `apache2 -t`; reports the median wall time and peak RSS of
// each (from /usr/bin/time; runs alternate between the two) and featherd/apache ratios. Not a
// test: run it by hand (`npm run bench:config`, after `npm run build`).
//
//   node scripts/bench-config.mjs [--vhosts N] [--rules N] [--runs N] [-- extra featherd args]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './bench/stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const APACHE = process.env.FEATHERD_APACHE_BIN ?? '/usr/sbin/apache2';
const TIME = '/usr/bin/time';
const MODULES = '/usr/lib/apache2/modules';

const argv = process.argv.slice(2);
const dashdash = argv.indexOf('--');
const own = dashdash === -1 ? argv : argv.slice(0, dashdash);
const featherdExtra = dashdash === -1 ? [] : argv.slice(dashdash + 1);
function option(name, fallback) {
  const i = own.indexOf(name);
  return i === -1 ? fallback : Number(own[i + 1]);
}
const vhosts = option('--vhosts', 10000);
const rules = option('--rules', 5);
const runs = option('--runs', 3);

for (const [file, hint] of [
  [TIME, 'apt-get install time'],
  [APACHE, 'apt-get install apache2'],
  [join(ROOT, 'dist', 'cli', 'main.js'), 'npm run build'],
]) {
  if (!existsSync(file)) {
    process.stderr.write(`bench-config: ${file} is missing (${hint})\n`);
    process.exit(2);
  }
}

/** The benchmark configuration: `vhosts` name-based vhosts with `rules` ProxyPass rules each. */
function generate(n, perHost) {
  const out = [
    `LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so`,
    `LoadModule proxy_module ${MODULES}/mod_proxy.so`,
    `LoadModule proxy_http_module ${MODULES}/mod_proxy_http.so`,
    'ServerName localhost',
    'ErrorLog error.log',
    'Listen 127.0.0.1:18080',
    '',
  ];
  for (let v = 0; v < n; v++) {
    out.push('<VirtualHost *:18080>', `    ServerName site${v}.example.test`);
    for (let r = 0; r < perHost; r++) {
      const port = 18081 + (r % 4);
      out.push(`    ProxyPass "/app${r}/" "http://127.0.0.1:${port}/site${v}/app${r}/" timeout=30 retry=0`);
    }
    out.push('</VirtualHost>');
  }
  return `${out.join('\n')}\n`;
}

/**
 * One timed run: wall seconds, CPU seconds (user + system, all threads) and peak RSS (KiB) from
 * GNU time, plus the exit code and last output line.
 */
function timed(cmd, args, env) {
  const stats = join(dir, 'time.out');
  const r = spawnSync(TIME, ['-o', stats, '-f', '%e %U %S %M', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const [wall, user, sys, rss] = readFileSync(stats, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  const lines = `${r.stdout}${r.stderr}`.trim().split('\n');
  return { wall, cpu: user + sys, rss, exit: r.status, last: lines[lines.length - 1] ?? '' };
}

const dir = mkdtempSync(join(tmpdir(), 'featherd-bench-config-'));
try {
  const conf = join(dir, 'httpd.conf');
  writeFileSync(conf, generate(vhosts, rules));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
  const programs = [
    { name: 'featherd', cmd: process.execPath, args: [join(ROOT, 'bin', 'featherd'), '-t', ...featherdExtra, '-d', dir, '-f', conf] },
    { name: 'apache2', cmd: APACHE, args: ['-t', '-d', dir, '-f', conf] },
  ];
  const size = readFileSync(conf).length;
  process.stdout.write(
    `config: ${vhosts} <VirtualHost> x ${rules} ProxyPass, ${(size / 1048576).toFixed(1)} MiB; ${runs} runs each\n\n`,
  );
  // Runs alternate between the programs, so that a change in the machine's load (it is shared)
  // falls on both alike.
  const samplesOf = new Map(programs.map((p) => [p.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const p of programs) samplesOf.get(p.name).push(timed(p.cmd, p.args, env));
  }
  const results = {};
  for (const p of programs) {
    const samples = samplesOf.get(p.name);
    results[p.name] = {
      wall: median(samples.map((s) => s.wall)),
      cpu: median(samples.map((s) => s.cpu)),
      rss: median(samples.map((s) => s.rss)),
      exit: samples[samples.length - 1].exit,
      last: samples[samples.length - 1].last,
    };
  }
  const rows = [['program', 'wall s (median)', 'CPU s (median)', 'peak RSS MiB (median)', 'exit', 'last line']];
  for (const p of programs) {
    const r = results[p.name];
    rows.push([p.name, r.wall.toFixed(2), r.cpu.toFixed(2), (r.rss / 1024).toFixed(1), String(r.exit), r.last.slice(0, 60)]);
  }
  const f = results.featherd;
  const a = results.apache2;
  const ratio = (x, y) => (y > 0 ? (x / y).toFixed(2) : 'n/a');
  rows.push(['featherd/apache', ratio(f.wall, a.wall), ratio(f.cpu, a.cpu), ratio(f.rss, a.rss), '', '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()}\n`);
  process.stdout.write(
    `\ntarget: featherd under 1 s and under apache2's time: ${f.wall < 1 && f.wall < a.wall ? 'met' : 'not met'}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
