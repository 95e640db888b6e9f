import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';
import { GRACEFUL_SHUTDOWN_TIMEOUT, LISTEN_COMMANDS, START_SERVERS } from '../core/mpm-common.js';
import { mpmGlobal } from '../core/listen.js';

/** prefork.c: the MPM command table (its LISTEN_COMMANDS and MPM tuning). */
export const mpmPreforkDirectives: DirectiveEntry[] = [
  ...LISTEN_COMMANDS,
  START_SERVERS,
  d('MinSpareServers', 'TAKE1', RSRC_CONF, 'Minimum number of idle children, to handle request spikes', 'ignored', mpmGlobal, NOTE.mpm),
  d('MaxSpareServers', 'TAKE1', RSRC_CONF, 'Maximum number of idle children', 'ignored', mpmGlobal, NOTE.mpm),
  d('MaxClients', 'TAKE1', RSRC_CONF, 'Deprecated name of MaxRequestWorkers', 'partial', mpmGlobal, NOTE.mpmBound),
  d('MaxRequestWorkers', 'TAKE1', RSRC_CONF, 'Maximum number of children alive at the same time', 'partial', mpmGlobal, NOTE.mpmBound),
  d('ServerLimit', 'TAKE1', RSRC_CONF, 'Maximum value of MaxRequestWorkers for this run of Apache', 'partial', mpmGlobal, NOTE.mpmBound),
  GRACEFUL_SHUTDOWN_TIMEOUT,
];
