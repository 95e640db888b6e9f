// Load generators: wrk when installed (a Lua hook prints its figures as JSON), else autocannon in
// a child process. Both keep their connections alive and run for a fixed time.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, stop, tail, describeExit } from './procs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const WRK = process.env.FEATHERD_WRK_BIN ?? '/usr/bin/wrk';

/** 'wrk' or 'autocannon', as asked, or the best one available. */
export function pickLoader(asked) {
  if (asked === 'autocannon') return 'autocannon';
  if (asked === 'wrk' && !existsSync(WRK)) throw new Error(`${WRK} is missing (apt-get install wrk)`);
  return existsSync(WRK) ? 'wrk' : 'autocannon';
}

/**
 * Loads `url` with `connections` keep-alive connections for `seconds`. Resolves with
 * { reqPerSec, p50Ms, p90Ms, p99Ms, maxMs, requests, bytes, errors } or { error }.
 */
export async function runLoad(loader, url, connections, seconds) {
  const handle =
    loader === 'wrk'
      ? start('wrk', WRK, [
          '-t', String(Math.min(2, connections)),
          '-c', String(connections),
          '-d', `${seconds}s`,
          '--timeout', '10s',
          '-s', join(HERE, 'report.lua'),
          url,
        ])
      : start('autocannon', process.execPath, [join(HERE, 'autocannon-run.mjs'), url, String(connections), String(seconds)]);
  // A run never outlives its duration by much: stop it if it hangs.
  const watchdog = setTimeout(() => void stop(handle), (seconds + 30) * 1000);
  const done = await handle.exited;
  clearTimeout(watchdog);
  const line = handle.stdout.split('\n').find((l) => l.startsWith('BENCH-JSON '));
  if (!line) return { error: `${loader} ${describeExit(done)}: ${tail(handle.stderr || handle.stdout)}` };
  const r = JSON.parse(line.slice('BENCH-JSON '.length));
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  return {
    reqPerSec: r.requests / (r.durationUs / 1e6),
    p50Ms: r.latencyUs.p50 / 1000,
    p90Ms: r.latencyUs.p90 / 1000,
    p99Ms: r.latencyUs.p99 / 1000,
    maxMs: r.latencyUs.max / 1000,
    requests: r.requests,
    bytes: r.bytes,
    errors,
    errorDetail: r.errors,
  };
}
