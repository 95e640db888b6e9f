// Child processes of the benchmark: start, wait for readiness, stop (also on error and Ctrl-C),
// and sample the memory of a process tree from /proc.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Every process started here that may still run, by pid. */
const running = new Map();

/**
 * Starts `cmd args` in its own process group and keeps the last 64 KiB of its stdout and stderr.
 * The handle's `exited` promise settles with { code, signal } when the process ends.
 */
export function start(name, cmd, args, options = {}) {
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const handle = { name, child, pid: child.pid, stdout: '', stderr: '', done: null };
  const keep = (key) => (chunk) => {
    handle[key] = (handle[key] + chunk.toString()).slice(-65536);
  };
  child.stdout.on('data', keep('stdout'));
  child.stderr.on('data', keep('stderr'));
  handle.exited = new Promise((resolve) => {
    child.on('error', (err) => {
      handle.stderr += `${err.message}\n`;
      handle.done = { code: null, signal: null, error: err.message };
      running.delete(handle.pid);
      resolve(handle.done);
    });
    child.on('exit', (code, signal) => {
      handle.done = { code, signal };
      running.delete(handle.pid);
      resolve(handle.done);
    });
  });
  if (child.pid !== undefined) running.set(child.pid, handle);
  return handle;
}

/** Waits until `test()` resolves true, the process exits, or `ms` pass. Returns a reason or null. */
export async function waitReady(handle, test, ms) {
  const deadline = Date.now() + ms;
  let last = 'not ready';
  while (Date.now() < deadline) {
    if (handle.done) return `${handle.name} exited (${describeExit(handle.done)}): ${tail(handle.stderr || handle.stdout)}`;
    try {
      const verdict = await test();
      if (verdict === true) return null;
      if (typeof verdict === 'object' && verdict !== null && 'giveUp' in verdict) return `${handle.name}: ${verdict.giveUp}`;
      last = String(verdict);
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(100);
  }
  if (handle.done) return `${handle.name} exited (${describeExit(handle.done)}): ${tail(handle.stderr || handle.stdout)}`;
  return `${handle.name} not ready after ${ms} ms: ${last}`;
}

export function describeExit(done) {
  if (done.error) return done.error;
  return done.signal ? `signal ${done.signal}` : `status ${done.code}`;
}

/** The last non-empty lines of a process's output, on one line; warnings only if nothing else. */
export function tail(text, lines = 4) {
  const all = text.trim().split('\n').filter(Boolean);
  const serious = all.filter((l) => !/\bwarning:/i.test(l));
  const kept = (serious.length > 0 ? serious : all).slice(-lines).join(' | ');
  return kept === '' ? '(no output)' : kept;
}

/** Stops one process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(handle, graceMs = 3000) {
  if (handle.done) return handle.done;
  signalGroup(handle.pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(handle.pid, 'SIGKILL'), graceMs);
  const done = await handle.exited;
  clearTimeout(timer);
  // Children that outlive their parent (httpd's workers) share its process group.
  signalGroup(handle.pid, 'SIGKILL');
  return done;
}

/** Stops everything still running; synchronous, for exit paths. */
export function stopAllNow() {
  for (const pid of running.keys()) {
    signalGroup(pid, 'SIGTERM');
  }
  const until = Date.now() + 1500;
  while (running.size > 0 && Date.now() < until && [...running.keys()].some(alive)) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  }
  for (const pid of running.keys()) signalGroup(pid, 'SIGKILL');
  running.clear();
}

export async function stopAll() {
  await Promise.all([...running.values()].map((h) => stop(h)));
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** pid and its descendants, from the parent pids in /proc/<pid>/stat. */
export function processTree(root) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name, which is in parentheses and may hold spaces.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(rest[1]));
    } catch {
      // The process ended while /proc was read.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** VmRSS and VmHWM of one process in KiB, or null once it is gone. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * Samples the memory of the tree under `root` every `everyMs` until stopped. `peakRssKiB` is the
 * largest sum of VmRSS over the tree seen in one sample; `hwmKiB` is the sum over the processes
 * seen of each one's own VmHWM (its peak, possibly between samples), an upper bound.
 */
export function sampleMemory(root, everyMs = 200) {
  const hwm = new Map();
  let peak = 0;
  let maxProcs = 0;
  const take = () => {
    let sum = 0;
    let count = 0;
    for (const pid of processTree(root)) {
      const m = memoryOf(pid);
      if (!m) continue;
      sum += m.rss;
      count++;
      hwm.set(pid, Math.max(hwm.get(pid) ?? 0, m.hwm));
    }
    peak = Math.max(peak, sum);
    maxProcs = Math.max(maxProcs, count);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      let hwmSum = 0;
      for (const v of hwm.values()) hwmSum += v;
      return { peakRssKiB: peak, hwmKiB: hwmSum, processes: maxProcs };
    },
  };
}

/** CPU time (user + system) used so far by the given processes, in seconds. */
export function cpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15; rest[0] is field 3.
      ticks += Number(rest[11]) + Number(rest[12]);
    } catch {
      // Gone.
    }
  }
  return ticks / CLOCK_TICKS;
}

/** Linux reports /proc times in USER_HZ, 100 on every architecture node runs on. */
const CLOCK_TICKS = 100;
