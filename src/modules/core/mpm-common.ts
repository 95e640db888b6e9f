import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from './entry.js';
import { bufferSize, listen, listenBacklog, mpmGlobal, positive } from './listen.js';

/**
 * Directives every MPM's command table holds the same way (httpd's LISTEN_COMMANDS from
 * ap_listen.h, and the StartServers and GracefulShutdownTimeout entries event.c, worker.c and
 * prefork.c share); each MPM table puts them around its own tuning directives.
 */
export const LISTEN_COMMANDS: DirectiveEntry[] = [
  d('ListenBacklog', 'TAKE1', RSRC_CONF, 'Maximum length of the queue of pending connections, as used by listen(2)', 'ignored', listenBacklog, 'the listen backlog is left to Node.js'),
  d('ListenCoresBucketsRatio', 'TAKE1', RSRC_CONF, 'Ratio between the number of CPU cores (online) and the number of listeners buckets', 'ignored', positive('ListenCoresBucketsRatio must be > 0'), NOTE.mpm),
  d('Listen', 'TAKE_ARGV', RSRC_CONF, 'A port number or a numeric IP address and a port number, and an optional protocol', 'yes', listen),
  d('SendBufferSize', 'TAKE1', RSRC_CONF, 'Send buffer size in bytes', 'ignored', bufferSize, 'socket buffer sizes are left to the OS'),
  d('ReceiveBufferSize', 'TAKE1', RSRC_CONF, 'Receive buffer size in bytes', 'ignored', bufferSize, 'socket buffer sizes are left to the OS'),
  d('ListenTCPDeferAccept', 'TAKE1', RSRC_CONF, 'Value set for the socket option TCP_DEFER_ACCEPT if it is set', 'ignored', positive('ListenTCPDeferAccept must be > 0'), 'TCP_DEFER_ACCEPT is not set'),
];

export const START_SERVERS: DirectiveEntry =
  d('StartServers', 'TAKE1', RSRC_CONF, 'Number of child processes launched at server startup', 'partial', mpmGlobal, NOTE.mpmStart);

export const GRACEFUL_SHUTDOWN_TIMEOUT: DirectiveEntry =
  d('GracefulShutdownTimeout', 'TAKE1', RSRC_CONF, 'Maximum time in seconds to wait for child processes to complete transactions during shutdown', 'ignored', mpmGlobal, NOTE.mpm);
