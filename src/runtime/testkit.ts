/**
 * Test support shared by the runtime and module test kits: free ports and temp dirs on this
 * machine, and featherd started in this process on a config file (real sockets on 127.0.0.1).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { defaultRegistry } from '../modules/index.js';
import { startRuntime, type FeatherServer } from './run.js';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A new empty directory under the system temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * featherd in this process on the config file `conf` with ServerRoot `dir`, as `featherd -f conf`
 * would start; its standard output is dropped, its standard error goes to `onStderr` (dropped
 * when not given).
 */
export function startFromConfig(
  conf: string,
  dir: string,
  onStderr: (s: string) => void = () => undefined,
): Promise<{ ok: true; value: FeatherServer } | { ok: false; error: string }> {
  return startRuntime({
    load: () => loadConfig({ file: conf, serverRoot: dir, registry: defaultRegistry(), env: process.env }),
    io: { stdout: { write: () => true }, stderr: { write: onStderr }, env: process.env, cwd: dir },
  });
}

/** Resolves as `p` does, or rejects after `ms` (every wait in the tests is bounded). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** The exit code of `child` once it has exited (null when a signal ended it). */
export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });
}

/** A listening test server and the sockets it accepted. */
export interface TrackedServer {
  port: number;
  /** Accepted sockets still open. */
  open(): number;
  /** Sockets accepted so far. */
  accepted(): number;
  /** Destroys the open sockets and closes the server. */
  close(): Promise<void>;
}

/** Listens with `srv` on a free port of 127.0.0.1, counting the sockets it accepts. */
export async function listenTracked(srv: net.Server): Promise<TrackedServer> {
  const socks = new Set<net.Socket>();
  let accepted = 0;
  srv.on('connection', (s: net.Socket) => {
    accepted++;
    socks.add(s);
    s.on('close', () => socks.delete(s));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return {
    port: (srv.address() as AddressInfo).port,
    open: () => socks.size,
    accepted: () => accepted,
    close: async () => {
      for (const s of socks) s.destroy();
      await new Promise<void>((r) => srv.close(() => r()));
    },
  };
}
