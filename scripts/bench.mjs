#!/usr/bin/env node
// Proxy benchmark: featherd beside Apache httpd (event MPM, mod_proxy_http) and node http-proxy,
// all in front of the same node:http backend on 127.0.0.1, loaded in the same run with
// keep-alive connections for a ~100-byte and a 1 MiB response. Prints req/s, p50/p99 latency,
// peak RSS and CPU time of each proxy's process tree, and the ratios featherd/Apache and
// featherd/http-proxy (the machine is shared, so the ratios mean more than the absolute
// figures). Not a test: run it by hand (`npm run bench`, after `npm run build`).
//
//   node scripts/bench.mjs [--duration S] [--warmup S] [--connections N] [--only small|large]
//        [--proxies featherd,apache,http-proxy[,direct]] [--loader wrk|autocannon]
//        [--rounds N] [--out result.json] [--cpu-prof DIR] [--keep]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { pickLoader, runLoad } from './bench/load.mjs';
import {
  cpuSeconds,
  processTree,
  sampleMemory,
  start,
  stop,
  stopAll,
  stopAllNow,
  tail,
  waitReady,
} from './bench/procs.mjs';
import { APACHE, BASELINE, PROXIES, ROOT, SIZES, startProxy, versions } from './bench/proxies.mjs';
import { median } from './bench/stats.mjs';
import { renderRatios, renderTable } from './bench/table.mjs';

const USAGE = `usage: node scripts/bench.mjs [options]
  --duration S        seconds of measured load per run (default 10, at most 600)
  --warmup S          seconds of unmeasured load before each run (default 2)
  --connections N     keep-alive connections (default 50, at most 1000)
  --only small|large  one response size (default both: ~100 B and 1 MiB)
  --proxies LIST      comma-separated, in run order, from featherd,apache,http-proxy,direct
                      (default featherd,apache,http-proxy; direct = the backend alone)
  --loader NAME       wrk or autocannon (default wrk if /usr/bin/wrk exists)
  --rounds N          repeat every run N times, interleaved, and report medians (default 1)
  --out FILE          write the results as JSON to FILE
  --cpu-prof DIR      run featherd and http-proxy under node --cpu-prof, profiles into
                      DIR/<proxy>-<size>-<time>-<pid>.cpuprofile (one per process)
  --keep              keep the temp ServerRoots (configs and error logs)
`;

function parseArgs(argv) {
  const o = {
    duration: 10,
    warmup: 2,
    connections: 50,
    sizes: Object.keys(SIZES),
    proxies: [...PROXIES],
    loader: null,
    rounds: 1,
    out: null,
    cpuProf: null,
    keep: false,
  };
  const value = (i, name) => {
    if (i + 1 >= argv.length) fail(`${name} needs a value`);
    return argv[i + 1];
  };
  const number = (i, name, min, max) => {
    const n = Number(value(i, name));
    if (!Number.isFinite(n) || n < min || n > max) fail(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--duration':
        o.duration = number(i++, a, 1, 600);
        break;
      case '--warmup':
        o.warmup = number(i++, a, 0, 60);
        break;
      case '--connections':
        o.connections = Math.round(number(i++, a, 1, 1000));
        break;
      case '--only': {
        const size = value(i++, a);
        if (!(size in SIZES)) fail(`--only takes ${Object.keys(SIZES).join(' or ')}`);
        o.sizes = [size];
        break;
      }
      case '--proxies': {
        const list = value(i++, a).split(',').map((s) => s.trim()).filter(Boolean);
        const bad = list.filter((p) => !PROXIES.includes(p) && p !== BASELINE);
        if (bad.length > 0 || list.length === 0) fail(`--proxies: unknown ${bad.join(', ') || '(empty list)'}`);
        o.proxies = [...new Set(list)];
        break;
      }
      case '--loader': {
        const l = value(i++, a);
        if (l !== 'wrk' && l !== 'autocannon') fail('--loader takes wrk or autocannon');
        o.loader = l;
        break;
      }
      case '--rounds':
        o.rounds = Math.round(number(i++, a, 1, 20));
        break;
      case '--out':
        o.out = resolve(value(i++, a));
        break;
      case '--cpu-prof':
        o.cpuProf = resolve(value(i++, a));
        break;
      case '--keep':
        o.keep = true;
        break;
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${a}`);
    }
  }
  return o;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

// Every process started here is stopped on the way out, however the way out is taken.
let tmp = null;
let keepTmp = false;
function cleanup() {
  stopAllNow();
  if (tmp && !keepTmp) rmSync(tmp, { recursive: true, force: true });
  tmp = null;
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    cleanup();
    process.exit(130);
  });
}
process.on('uncaughtException', (err) => {
  log(`error: ${err instanceof Error ? err.stack : String(err)}`);
  cleanup();
  process.exit(1);
});

async function startBackend() {
  const handle = start('backend', process.execPath, [join(ROOT, 'scripts', 'bench', 'backend.mjs'), '0']);
  let port = 0;
  const problem = await waitReady(
    handle,
    () => {
      const m = /listening (\d+)/.exec(handle.stdout);
      if (m) port = Number(m[1]);
      return port > 0 || 'no port yet';
    },
    10000,
  );
  if (problem) throw new Error(`backend: ${problem}`);
  return { handle, port };
}

/** Why a proxy that would not start did not, with the tail of its error log if it has one. */
function startFailure(name, started) {
  let reason = started.error;
  const errorLog = started.root ? join(started.root, 'logs', 'error.log') : null;
  if (errorLog && existsSync(errorLog)) {
    const text = readFileSync(errorLog, 'utf8');
    if (text.trim() !== '') reason += ` | error.log: ${tail(text, 3)}`;
  }
  return `${name} did not start: ${reason}`;
}

async function runOne(name, sizeName, opts, backendPort, loader) {
  const size = SIZES[sizeName];
  const record = { proxy: name, size: sizeName, bytesPerResponse: size.bytes, loadBefore: loadavg()[0] };
  const extraNodeArgs = [];
  if ((name === 'featherd' || name === 'http-proxy') && opts.cpuProf) {
    // Files named by node (with the PID), renamed after the run: featherd's server processes
    // inherit these flags, and a fixed --cpu-prof-name would have them overwrite each other.
    mkdirSync(opts.cpuProf, { recursive: true });
    extraNodeArgs.push('--import', join(ROOT, 'scripts', 'bench', 'exit-on-term.mjs'), '--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`);
  }
  const started = await startProxy(name, { backendPort, connections: opts.connections, tmp, extraNodeArgs });
  const handle = started.handle ?? null;
  try {
    if (started.error) return { ...record, error: startFailure(name, started) };
    const url = `http://127.0.0.1:${started.port}${size.path}`;
    if (opts.warmup > 0) {
      const warm = await runLoad(loader, url, opts.connections, opts.warmup);
      if (warm.error) return { ...record, error: `warm-up: ${warm.error}` };
    }
    if (handle?.done) return { ...record, error: `${name} exited during warm-up: ${tail(handle.stderr)}` };
    const sampler = handle ? sampleMemory(handle.pid) : null;
    const cpuBefore = handle ? cpuSeconds(processTree(handle.pid)) : null;
    const result = await runLoad(loader, url, opts.connections, opts.duration);
    const cpuAfter = handle ? cpuSeconds(processTree(handle.pid)) : null;
    const memory = sampler ? sampler.stop() : null;
    if (result.error) return { ...record, error: result.error };
    if (handle?.done) return { ...record, error: `${name} exited during the run: ${tail(handle.stderr)}` };
    const cpu = cpuBefore === null ? null : cpuAfter - cpuBefore;
    return {
      ...record,
      ...result,
      memory,
      cpuSeconds: cpu,
      cpuMsPer1kReq: cpu === null || result.requests === 0 ? null : (cpu * 1e6) / result.requests,
      loadAfter: loadavg()[0],
    };
  } finally {
    if (handle) await stop(handle);
    if (extraNodeArgs.length > 0) nameProfiles(opts.cpuProf, `${name}-${sizeName}-${Date.now()}`);
  }
}

/** Node's profiles (CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile) renamed <run>-<pid>.cpuprofile. */
function nameProfiles(dir, run) {
  for (const f of readdirSync(dir)) {
    const m = /^CPU\.\d+\.\d+\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(f);
    if (m) renameSync(join(dir, f), join(dir, `${run}-${m[1]}.cpuprofile`));
  }
}

/**
 * One record per proxy and size from several rounds: the median of each figure, the largest
 * peak RSS, errors summed. A proxy that failed in some round keeps the first failure's reason.
 */
function medians(all, opts) {
  const out = [];
  for (const size of opts.sizes) {
    for (const name of opts.proxies) {
      const rs = all.filter((r) => r.proxy === name && r.size === size);
      const failed = rs.find((r) => r.error);
      if (failed) {
        out.push({ ...failed, error: `${failed.error} (round ${failed.round} of ${opts.rounds})` });
        continue;
      }
      const pick = (key) => median(rs.map((r) => r[key]));
      out.push({
        proxy: name,
        size,
        bytesPerResponse: rs[0].bytesPerResponse,
        rounds: rs.length,
        reqPerSec: pick('reqPerSec'),
        p50Ms: pick('p50Ms'),
        p90Ms: pick('p90Ms'),
        p99Ms: pick('p99Ms'),
        maxMs: Math.max(...rs.map((r) => r.maxMs)),
        requests: rs.reduce((a, r) => a + r.requests, 0),
        errors: rs.reduce((a, r) => a + r.errors, 0),
        memory: rs[0].memory
          ? {
              peakRssKiB: Math.max(...rs.map((r) => r.memory.peakRssKiB)),
              hwmKiB: Math.max(...rs.map((r) => r.memory.hwmKiB)),
              processes: Math.max(...rs.map((r) => r.memory.processes)),
            }
          : null,
        cpuSeconds: pick('cpuSeconds'),
        cpuMsPer1kReq: pick('cpuMsPer1kReq'),
        loadBefore: pick('loadBefore'),
      });
    }
  }
  return out;
}

function ratiosOf(runs, sizes) {
  const out = [];
  for (const size of sizes) {
    const f = runs.find((r) => r.proxy === 'featherd' && r.size === size);
    for (const other of ['apache', 'http-proxy']) {
      const o = runs.find((r) => r.proxy === other && r.size === size);
      if (!f || !o) continue;
      const pair = `featherd/${other}`;
      if (f.error || o.error) {
        out.push({ size, pair, error: f.error ? 'featherd has no figures' : `${other} has no figures` });
        continue;
      }
      const div = (a, b) => (a === null || b === null || b === 0 ? null : a / b);
      out.push({
        size,
        pair,
        reqPerSec: div(f.reqPerSec, o.reqPerSec),
        p50: div(f.p50Ms, o.p50Ms),
        p99: div(f.p99Ms, o.p99Ms),
        rss: div(f.memory?.peakRssKiB ?? null, o.memory?.peakRssKiB ?? null),
        cpuPerReq: div(f.cpuMsPer1kReq, o.cpuMsPer1kReq),
      });
    }
  }
  return out;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  keepTmp = opts.keep;
  if (opts.proxies.includes('apache') && !existsSync(APACHE)) fail(`${APACHE} is missing (apt-get install apache2)`);
  if (opts.proxies.includes('featherd') && !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    fail('dist/ is missing: run `npm run build` first');
  }
  let loader;
  try {
    loader = pickLoader(opts.loader);
  } catch (err) {
    fail(err.message);
  }
  tmp = mkdtempSync(join(tmpdir(), 'featherd-bench-'));
  const perRun = (opts.warmup + opts.duration) * opts.rounds;
  log(
    `${opts.proxies.join(', ')} × ${opts.sizes.join(', ')}: ${opts.connections} connections, ` +
      `${opts.warmup} s warm-up + ${opts.duration} s per run (about ${Math.ceil((perRun + 2) * opts.proxies.length * opts.sizes.length)} s), load by ${loader}`,
  );
  if (opts.keep) log(`ServerRoots under ${tmp}`);

  const programs = versions();
  const backend = await startBackend();
  const all = [];
  // Rounds outside, then sizes, proxies inside: runs that are compared with each other are
  // close in time, and a busy spell of the machine spreads over all proxies.
  for (let round = 1; round <= opts.rounds; round++) {
    for (const size of opts.sizes) {
      for (const name of opts.proxies) {
        log(`${name}, ${size}${opts.rounds > 1 ? `, round ${round}/${opts.rounds}` : ''} ...`);
        const r = { round, ...(await runOne(name, size, opts, backend.port, loader)) };
        all.push(r);
        log(
          r.error
            ? `${name}, ${size}: ${r.error}`
            : `${name}, ${size}: ${Math.round(r.reqPerSec)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors}`,
        );
      }
    }
  }
  const runs = opts.rounds === 1 ? all : medians(all, opts);
  await stop(backend.handle);
  await stopAll();

  const ratios = ratiosOf(runs, opts.sizes);
  process.stdout.write(`\n${renderTable(runs)}\n\n${renderRatios(ratios)}\n`);
  const busy = all.filter((r) => r.loadBefore !== undefined).map((r) => r.loadBefore);
  if (opts.rounds > 1) process.stdout.write(`\nfigures are medians of ${opts.rounds} rounds (peak RSS: the largest); errors are summed\n`);
  process.stdout.write(
    `\nload generator: ${loader}; ${cpus().length} CPUs; 1-minute load average ${Math.min(...busy).toFixed(2)}–${Math.max(...busy).toFixed(2)} ` +
      `during the runs. CPU = user+system time of the proxy's process tree.\n`,
  );
  if (opts.out) {
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null },
      versions: programs,
      settings: {
        loader,
        connections: opts.connections,
        durationSeconds: opts.duration,
        warmupSeconds: opts.warmup,
        sizes: Object.fromEntries(opts.sizes.map((s) => [s, SIZES[s]])),
        proxies: opts.proxies,
        rounds: opts.rounds,
      },
      runs,
      ...(opts.rounds > 1 ? { rounds: all } : {}),
      ratios,
    };
    writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
    log(`results written to ${opts.out}`);
  }
}

await main();
