import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';
import { GRACEFUL_SHUTDOWN_TIMEOUT, LISTEN_COMMANDS, START_SERVERS } from '../core/mpm-common.js';
import { asyncRequestWorkerFactor, mpmGlobal } from '../core/listen.js';

/** event.c: the MPM command table (its LISTEN_COMMANDS and MPM tuning). */
export const mpmEventDirectives: DirectiveEntry[] = [
  ...LISTEN_COMMANDS,
  START_SERVERS,
  d('ServerLimit', 'TAKE1', RSRC_CONF, 'Maximum number of child processes for this run of Apache', 'partial', mpmGlobal, NOTE.mpmBound),
  d('MinSpareThreads', 'TAKE1', RSRC_CONF, 'Minimum number of idle threads, to handle request spikes', 'ignored', mpmGlobal, NOTE.mpm),
  d('MaxSpareThreads', 'TAKE1', RSRC_CONF, 'Maximum number of idle threads', 'ignored', mpmGlobal, NOTE.mpm),
  d('MaxClients', 'TAKE1', RSRC_CONF, 'Deprecated name of MaxRequestWorkers', 'partial', mpmGlobal, NOTE.mpmBound),
  d('MaxRequestWorkers', 'TAKE1', RSRC_CONF, 'Maximum number of threads alive at the same time', 'partial', mpmGlobal, NOTE.mpmBound),
  d('ThreadsPerChild', 'TAKE1', RSRC_CONF, 'Number of threads each child creates', 'partial', mpmGlobal, NOTE.mpmThreads),
  d('ThreadLimit', 'TAKE1', RSRC_CONF, 'Maximum number of worker threads per child process for this run of Apache - Upper limit for ThreadsPerChild', 'partial', mpmGlobal, NOTE.mpmBound),
  d('AsyncRequestWorkerFactor', 'TAKE1', RSRC_CONF, 'How many additional connects will be accepted per idle worker thread', 'ignored', asyncRequestWorkerFactor, NOTE.mpm),
  GRACEFUL_SHUTDOWN_TIMEOUT,
];
