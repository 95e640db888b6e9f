import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';
import { asyncRequestWorkerFactor, bufferSize, listen, listenBacklog, mpmGlobal, positive } from '../core/listen.js';

/** event.c: the MPM command table (its LISTEN_COMMANDS and MPM tuning). */
export const mpmEventDirectives: DirectiveEntry[] = [
  d('ListenBacklog', 'TAKE1', RSRC_CONF, 'Maximum length of the queue of pending connections, as used by listen(2)', 'ignored', listenBacklog, 'the listen backlog is left to Node.js'),
  d('ListenCoresBucketsRatio', 'TAKE1', RSRC_CONF, 'Ratio between the number of CPU cores (online) and the number of listeners buckets', 'ignored', positive('ListenCoresBucketsRatio must be > 0'), NOTE.mpm),
  d('Listen', 'TAKE_ARGV', RSRC_CONF, 'A port number or a numeric IP address and a port number, and an optional protocol', 'yes', listen),
  d('SendBufferSize', 'TAKE1', RSRC_CONF, 'Send buffer size in bytes', 'ignored', bufferSize, 'socket buffer sizes are left to the OS'),
  d('ReceiveBufferSize', 'TAKE1', RSRC_CONF, 'Receive buffer size in bytes', 'ignored', bufferSize, 'socket buffer sizes are left to the OS'),
  d('ListenTCPDeferAccept', 'TAKE1', RSRC_CONF, 'Value set for the socket option TCP_DEFER_ACCEPT if it is set', 'ignored', positive('ListenTCPDeferAccept must be > 0'), 'TCP_DEFER_ACCEPT is not set'),
  d('StartServers', 'TAKE1', RSRC_CONF, 'Number of child processes launched at server startup', 'partial', mpmGlobal, NOTE.mpmStart),
  d('ServerLimit', 'TAKE1', RSRC_CONF, 'Maximum number of child processes for this run of Apache', 'partial', mpmGlobal, NOTE.mpmBound),
  d('MinSpareThreads', 'TAKE1', RSRC_CONF, 'Minimum number of idle threads, to handle request spikes', 'ignored', mpmGlobal, NOTE.mpm),
  d('MaxSpareThreads', 'TAKE1', RSRC_CONF, 'Maximum number of idle threads', 'ignored', mpmGlobal, NOTE.mpm),
  d('MaxClients', 'TAKE1', RSRC_CONF, 'Deprecated name of MaxRequestWorkers', 'partial', mpmGlobal, NOTE.mpmBound),
  d('MaxRequestWorkers', 'TAKE1', RSRC_CONF, 'Maximum number of threads alive at the same time', 'partial', mpmGlobal, NOTE.mpmBound),
  d('ThreadsPerChild', 'TAKE1', RSRC_CONF, 'Number of threads each child creates', 'partial', mpmGlobal, NOTE.mpmThreads),
  d('ThreadLimit', 'TAKE1', RSRC_CONF, 'Maximum number of worker threads per child process for this run of Apache - Upper limit for ThreadsPerChild', 'partial', mpmGlobal, NOTE.mpmBound),
  d('AsyncRequestWorkerFactor', 'TAKE1', RSRC_CONF, 'How many additional connects will be accepted per idle worker thread', 'ignored', asyncRequestWorkerFactor, NOTE.mpm),
  d('GracefulShutdownTimeout', 'TAKE1', RSRC_CONF, 'Maximum time in seconds to wait for child processes to complete transactions during shutdown', 'ignored', mpmGlobal, NOTE.mpm),
];
