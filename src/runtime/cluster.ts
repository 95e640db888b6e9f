/**
 * Several server processes, as httpd's MPM runs several children: a parent process that holds
 * the PidFile and the signals, and worker processes (node:cluster) that share the listening
 * sockets and each serve with their own compiled configuration.
 *
 *  - How many: StartServers when the configuration sets it (httpd's corrections applied, at
 *    most one per CPU), else one — and then no parent/worker split at all. `-X` / `-DONE_PROCESS`
 *    also keep one process.
 *  - The parent writes the PidFile with its own PID and removes it when it stops.
 *  - SIGHUP / SIGUSR1 to the parent: every worker reloads its configuration gracefully (a
 *    broken one is refused and logged by each, which keep serving the running one).
 *  - SIGTERM / SIGINT: the workers stop at once; SIGWINCH: they stop gracefully.
 *  - A worker that dies while the server runs is replaced (httpd's parent starts a new child).
 *  - State that httpd keeps in shared memory goes through the parent: a worker publishes on a
 *    topic (`clusterChannel()`), the parent passes the message to every other worker.
 */
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { ConfigTree } from '../config/ast.js';
import type { WalkState } from '../directives/types.js';
import { coreServer } from '../modules/core/config.js';
import { mpmSettings } from './mpm.js';
import { removeOwnPidFile, writePidFile } from './pidfile.js';

/** The number of server processes the configuration asks for (1: no parent/worker split). */
export function processCount(state: WalkState, tree: ConfigTree, defines: readonly string[]): number {
  if (defines.includes('ONE_PROCESS') || defines.includes('DEBUG')) return 1;
  const main = coreServer(state.mainServer);
  if (main.mpm?.StartServers === undefined) return 1;
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(mpmSettings(main, tree.loadedModules).startServers, cpus));
}

/** Messages between the parent and the workers. `log`: the one worker that writes the parent's notice. */
type ToWorker =
  | { featherd: 'reload'; signal: string; log: boolean }
  | { featherd: 'stop'; signal: string; graceful: boolean; log: boolean }
  | { featherd: 'publish'; topic: string; data: unknown };
type ToParent = { featherd: 'ready' } | { featherd: 'failed'; error: string } | { featherd: 'publish'; topic: string; data: unknown };
type Message = ToWorker | ToParent;

function isMessage(m: unknown): m is Message {
  return typeof m === 'object' && m !== null && typeof (m as { featherd?: unknown }).featherd === 'string';
}

export interface ParentOptions {
  count: number;
  pidFile: string;
  /** Where the parent's own messages go (startup failures). */
  stderr: { write(s: string): unknown };
  /** Handle the process's signals (default true). */
  signals?: boolean;
}

export interface ParentHandle {
  /** The live workers' PIDs. */
  workers(): number[];
  reload(signal?: string): void;
  stop(opts?: { graceful?: boolean; signal?: string }): Promise<void>;
  /** Resolves with the exit status once every worker ended. */
  done: Promise<number>;
}

/**
 * The parent: starts `count` workers (they re-run this program with the same arguments), waits
 * until all listen, writes the PidFile. Resolves with an error text when a worker could not
 * start (the others are stopped then).
 */
export async function runParent(o: ParentOptions): Promise<{ ok: true; value: ParentHandle } | { ok: false; error: string }> {
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const live = new Set<Worker>();
  /** Shared by the workers for what must agree between them (balancer nonces). */
  const seed = randomUUID();
  const handlers: [NodeJS.Signals, () => void][] = [];

  const broadcast = (m: ToWorker, except?: Worker): void => {
    for (const w of live) if (w !== except && w.isConnected()) w.send(m);
  };
  /** An order to every worker; the first one logs it. */
  const order = (m: Extract<ToWorker, { log: boolean }>): void => {
    let first = true;
    for (const w of live) {
      if (!w.isConnected()) continue;
      w.send({ ...m, log: first });
      first = false;
    }
  };
  /** `singleton`: the worker that runs the once-per-server tasks (see runsSingletons); its replacement does too. */
  const spawn = (singleton: boolean): Worker => {
    const w = cluster.fork({ FEATHERD_WORKER: '1', FEATHERD_CLUSTER_SEED: seed, ...(singleton ? { FEATHERD_SINGLETON: '1' } : {}) });
    live.add(w);
    w.on('message', (m: unknown) => {
      if (isMessage(m) && m.featherd === 'publish') broadcast(m, w);
    });
    w.on('exit', () => {
      live.delete(w);
      if (!stopping && started) spawn(singleton);
      if (stopping && live.size === 0) finish(0);
    });
    return w;
  };
  let started = false;
  const finish = (code: number): void => {
    removeOwnPidFile(o.pidFile);
    for (const [sig, h] of handlers) process.off(sig, h);
    resolveDone(code);
  };

  const first: Worker[] = [];
  for (let i = 0; i < o.count; i++) first.push(spawn(i === 0));
  const failure = await new Promise<string | null>((resolve) => {
    let ready = 0;
    for (const w of first) {
      const onMessage = (m: unknown): void => {
        if (!isMessage(m)) return;
        if (m.featherd === 'ready' && ++ready === first.length) resolve(null);
        if (m.featherd === 'failed') resolve(m.error);
      };
      w.on('message', onMessage);
      w.once('exit', (code) => resolve(`featherd: a server process exited while starting (status ${code ?? 'unknown'})`));
    }
  });
  const handle: ParentHandle = {
    workers: () => [...live].map((w) => w.process.pid ?? 0),
    reload: (signal = 'SIGUSR1') => order({ featherd: 'reload', signal, log: true }),
    stop: (s = {}) => {
      if (!stopping) {
        stopping = true;
        if (live.size === 0) finish(0);
        order({ featherd: 'stop', signal: s.signal ?? 'SIGTERM', graceful: s.graceful === true, log: true });
      }
      return done.then(() => undefined);
    },
    done,
  };
  if (failure !== null) {
    await handle.stop();
    return { ok: false, error: failure };
  }
  started = true;
  const pidError = writePidFile(o.pidFile, 'featherd');
  if (pidError) {
    await handle.stop();
    return { ok: false, error: pidError };
  }
  if (o.signals !== false) {
    handlers.push(
      ['SIGHUP', () => handle.reload('SIGHUP')],
      ['SIGUSR1', () => handle.reload('SIGUSR1')],
      ['SIGTERM', () => void handle.stop({ signal: 'SIGTERM' })],
      ['SIGINT', () => void handle.stop({ signal: 'SIGINT' })],
      ['SIGWINCH', () => void handle.stop({ graceful: true, signal: 'SIGWINCH' })],
    );
    for (const [sig, h] of handlers) process.on(sig, h);
  }
  return { ok: true, value: handle };
}

/** True in a worker process started by runParent. */
export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env.FEATHERD_WORKER === '1';
}

/**
 * Whether this process runs the tasks a server runs once, not once per process (httpd's
 * singleton watchdogs, e.g. mod_proxy_hcheck's checks, run in one child at a time): a single
 * process always; of several, the one worker the parent named, and the worker it starts in its
 * place if it exits.
 */
export function runsSingletons(): boolean {
  return !isClusterWorker() || process.env.FEATHERD_SINGLETON === '1';
}

export interface WorkerControl {
  /** `log`: this worker writes the notice of the signal the parent got. */
  reload(signal: string, log: boolean): unknown;
  stop(opts: { graceful: boolean; signal: string; log: boolean }): unknown;
}

/** A worker tells the parent it listens (or why it could not start). */
export function reportStarted(error?: string): void {
  const m: ToParent = error === undefined ? { featherd: 'ready' } : { featherd: 'failed', error };
  process.send?.(m);
}

/**
 * A worker's side of the parent's orders. Signals sent to the whole process group (a terminal's
 * Ctrl-C) are left to the parent, which stops the workers itself.
 */
export function obeyParent(control: WorkerControl): () => void {
  const onMessage = (m: unknown): void => {
    if (!isMessage(m)) return;
    if (m.featherd === 'reload') control.reload(m.signal, m.log);
    else if (m.featherd === 'stop') control.stop({ graceful: m.graceful, signal: m.signal, log: m.log });
  };
  const ignore = (): void => {};
  process.on('message', onMessage);
  for (const sig of ['SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGWINCH'] as const) process.on(sig, ignore);
  const term = (): void => void control.stop({ graceful: false, signal: 'SIGTERM', log: false });
  process.on('SIGTERM', term);
  // A parent that went away leaves no one to stop this worker later.
  process.on('disconnect', term);
  return () => {
    process.off('message', onMessage);
    for (const sig of ['SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGWINCH'] as const) process.off(sig, ignore);
    process.off('SIGTERM', term);
    process.off('disconnect', term);
  };
}

/** Publish/subscribe between the workers of one server (through the parent). */
export interface ClusterChannel {
  publish(topic: string, data: unknown): void;
  subscribe(topic: string, fn: (data: unknown) => void): () => void;
}

let channel: ClusterChannel | null | undefined;

/** The channel to the other workers, or null in a single-process server. */
export function clusterChannel(): ClusterChannel | null {
  if (channel !== undefined) return channel;
  if (!isClusterWorker()) return (channel = null);
  const subs = new Map<string, Set<(data: unknown) => void>>();
  process.on('message', (m: unknown) => {
    if (!isMessage(m) || m.featherd !== 'publish') return;
    for (const fn of subs.get(m.topic) ?? []) fn(m.data);
  });
  channel = {
    publish: (topic, data) => {
      const m: ToParent = { featherd: 'publish', topic, data };
      process.send?.(m);
    },
    subscribe: (topic, fn) => {
      let set = subs.get(topic);
      if (!set) subs.set(topic, (set = new Set()));
      set.add(fn);
      return () => set.delete(fn);
    },
  };
  return channel;
}
