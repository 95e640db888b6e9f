import fs from 'node:fs';
import type { ConfigTree } from '../config/ast.js';
import { loadConfig, type ReadOptions } from '../config/load.js';
import type { WalkState } from '../directives/types.js';
import { coreServer, pidFilePath } from '../modules/core/config.js';
import { isClusterWorker, obeyParent, processCount, reportStarted, runParent } from '../runtime/cluster.js';
import { startRuntime, type FeatherServer } from '../runtime/run.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';

/** Everything the server runtime gets once the configuration was read and checked. */
export interface ServeRequest {
  options: CliOptions;
  /** The options `tree` was read with (without the config-dump mode); read again on a restart. */
  readOptions: ReadOptions;
  tree: ConfigTree;
  state: WalkState;
  io: CliIo;
  /** Handle signals of the process (SIGHUP/SIGUSR1 reload, SIGTERM/SIGINT stop, SIGWINCH graceful stop). Default true. */
  signals?: boolean;
  /** Called once the server is listening (tests use it to reach the running server). */
  onStarted?: (server: FeatherServer) => void;
}

const ARGV0 = 'featherd';

/** The PID in the PidFile, if that process is alive. */
function runningPid(pidFile: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

const K_SIGNALS = { stop: 'SIGTERM', 'graceful-stop': 'SIGWINCH', restart: 'SIGHUP', graceful: 'SIGUSR1' } as const;

/**
 * The one place where the command line hands over to the server runtime: `featherd` without
 * `-t`, and `featherd -k start|restart|graceful|graceful-stop|stop` (httpd's ap_signal_server:
 * the process named in the PidFile is signalled; restart/graceful start a server when none runs).
 * featherd always stays in the foreground, as httpd does with -DFOREGROUND. Returns the exit status.
 */
export async function serve(req: ServeRequest): Promise<number> {
  const { io, options: o } = req;
  const pidFile = pidFilePath(req.tree.serverRoot, coreServer(req.state.mainServer));
  const k = o.signal;
  if (k) {
    const pid = runningPid(pidFile);
    if (k === 'start' && pid !== undefined) {
      io.stderr.write(`${ARGV0} (pid ${pid}) already running\n`);
      return 0;
    }
    if (k === 'stop' || k === 'graceful-stop') {
      if (pid === undefined) {
        io.stderr.write(fs.existsSync(pidFile) ? `${ARGV0} (pid ?) not running\n` : `${ARGV0} (no pid file) not running\n`);
        return 0;
      }
      process.kill(pid, K_SIGNALS[k]);
      return 0;
    }
    if ((k === 'restart' || k === 'graceful') && pid !== undefined) {
      process.kill(pid, K_SIGNALS[k]);
      return 0;
    }
  }

  const worker = isClusterWorker();
  const count = processCount(req.state, req.tree, o.defines);
  if (count > 1 && !worker) return serveParent(req, count, pidFile);

  const started = await startRuntime({
    initial: { tree: req.tree, state: req.state },
    load: () => loadConfig(req.readOptions),
    io,
    argv0: ARGV0,
    writePidFile: !worker,
  });
  if (!started.ok) {
    // A worker's parent writes the error once for all of them.
    if (worker) reportStarted(started.error);
    else io.stderr.write(started.error + '\n');
    return 1;
  }
  const server = started.value;
  req.onStarted?.(server);
  const log = (m: string) => server.current().main.errorLog.log('notice', 'mpm_event', m);
  if (worker) {
    const notices: Record<string, string> = {
      SIGHUP: 'AH00494: SIGHUP received.  Attempting to restart',
      SIGUSR1: 'AH00493: SIGUSR1 received.  Doing graceful restart',
      SIGWINCH: 'AH00492: caught SIGWINCH, shutting down gracefully',
    };
    const off = obeyParent({
      reload: (signal, logIt) => {
        if (logIt) log(notices[signal] ?? notices.SIGUSR1);
        void server.reload();
      },
      stop: (s) => {
        if (s.log) log(notices[s.signal] ?? 'AH00491: caught SIGTERM, shutting down');
        void server.stop({ graceful: s.graceful });
      },
    });
    reportStarted();
    await server.stopped;
    off();
    // The channel to the parent would keep this process alive.
    process.disconnect?.();
    return 0;
  }
  if (req.signals !== false) {
    const handlers: [NodeJS.Signals, () => void][] = [
      ['SIGHUP', () => (log('AH00494: SIGHUP received.  Attempting to restart'), void server.reload())],
      ['SIGUSR1', () => (log('AH00493: SIGUSR1 received.  Doing graceful restart'), void server.reload())],
      ['SIGTERM', () => (log('AH00491: caught SIGTERM, shutting down'), void server.stop())],
      ['SIGINT', () => (log('AH00491: caught SIGTERM, shutting down'), void server.stop())],
      ['SIGWINCH', () => (log('AH00492: caught SIGWINCH, shutting down gracefully'), void server.stop({ graceful: true }))],
    ];
    for (const [sig, h] of handlers) process.on(sig, h);
    await server.stopped;
    for (const [sig, h] of handlers) process.off(sig, h);
  } else {
    await server.stopped;
  }
  return 0;
}

/**
 * The parent of a several-process server (StartServers): starts the workers, holds the PidFile
 * and passes signals on as orders (src/runtime/cluster.ts). Returns the exit status.
 */
async function serveParent(req: ServeRequest, count: number, pidFile: string): Promise<number> {
  const r = await runParent({ count, pidFile, stderr: req.io.stderr, signals: req.signals !== false });
  if (!r.ok) {
    req.io.stderr.write(r.error + '\n');
    return 1;
  }
  return r.value.done;
}
