/**
 * What httpd's MPM makes of its tuning directives (event.c / worker.c / prefork.c
 * `*_check_config`, `ap_mpm_query`), for the parts featherd follows: how many requests one
 * server process serves at once (mod_proxy sizes each worker's connection pool by it) and how
 * many processes the server starts.
 */
import type { CoreServerConfig } from '../modules/core/config.js';

export type MpmName = 'event' | 'worker' | 'prefork';

export interface MpmSettings {
  /** The loaded MPM (undefined only for a configuration without one, which does not start). */
  name: MpmName | undefined;
  /** AP_MPMQ_MAX_THREADS: ThreadsPerChild (1 for prefork). */
  maxThreads: number;
  /** StartServers, as httpd corrects it (at least 1, at most the process limit). */
  startServers: number;
  /** The most processes the server runs: MaxRequestWorkers / ThreadsPerChild, at most ServerLimit. */
  daemonsLimit: number;
}

/** httpd's `atoi`: leading blanks, a sign, then digits; anything else ends the number (0 if none). */
function atoi(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  return m ? Math.trunc(Number(m[1])) : 0;
}

const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

/** The MPM settings of a configuration: its main server's core record and the loaded modules. */
export function mpmSettings(main: Pick<CoreServerConfig, 'mpm'>, loadedModules: readonly string[]): MpmSettings {
  const d = main.mpm ?? {};
  const name: MpmName | undefined = loadedModules.includes('mpm_event_module')
    ? 'event'
    : loadedModules.includes('mpm_worker_module')
      ? 'worker'
      : loadedModules.includes('mpm_prefork_module')
        ? 'prefork'
        : undefined;
  const maxWorkersSet = atoi(d.MaxRequestWorkers ?? d.MaxClients);
  if (name === 'prefork') {
    // prefork.c: DEFAULT_SERVER_LIMIT 256, MAX_SERVER_LIMIT 200000, DEFAULT_START_DAEMON 5.
    const serverLimit = clamp(atoi(d.ServerLimit) ?? 256, 1, 200_000);
    const limit = clamp(maxWorkersSet ?? serverLimit, 1, serverLimit);
    const start = atoi(d.StartServers) ?? 5;
    return { name, maxThreads: 1, startServers: clamp(start < 0 ? 1 : start, 1, limit), daemonsLimit: limit };
  }
  // event.c / worker.c: DEFAULT_SERVER_LIMIT 16, DEFAULT_THREAD_LIMIT 64, DEFAULT_THREADS_PER_CHILD
  // 25, DEFAULT_START_DAEMON 3; MaxRequestWorkers defaults to 16 × 25, set before the directives.
  const serverLimit = clamp(atoi(d.ServerLimit) ?? 16, 1, 20_000);
  const threadLimit = clamp(atoi(d.ThreadLimit) ?? 64, 1, name === 'worker' ? 20_000 : 100_000);
  const threads = clamp(atoi(d.ThreadsPerChild) ?? 25, 1, threadLimit);
  const maxWorkers = Math.max(maxWorkersSet ?? 16 * 25, threads);
  const daemonsLimit = Math.min(Math.floor(maxWorkers / threads), serverLimit);
  const start = atoi(d.StartServers) ?? 3;
  return { name, maxThreads: threads, startServers: clamp(start < 0 ? 1 : start, 1, daemonsLimit), daemonsLimit };
}
