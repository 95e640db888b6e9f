import type { Cmd, DirectiveEntry } from '../../directives/types.js';
import { NOT_IN_DIR_LOC_FILE, RSRC_CONF } from '../../directives/types.js';
import { coreServer } from '../core/config.js';
import { d } from '../core/entry.js';
import { atoi, parseTimeout } from '../core/server-directives.js';

function keepAliveTimeout(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(NOT_IN_DIR_LOC_FILE);
  if (err) return err;
  const ms = parseTimeout(arg);
  if (ms === undefined) return 'KeepAliveTimeout has wrong format';
  coreServer(cmd.server).keepAliveTimeout = ms;
  return undefined;
}

function maxKeepAliveRequests(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(NOT_IN_DIR_LOC_FILE);
  if (err) return err;
  coreServer(cmd.server).maxKeepAliveRequests = atoi(arg);
  return undefined;
}

function keepAlive(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(NOT_IN_DIR_LOC_FILE);
  if (err) return err;
  coreServer(cmd.server).keepAlive = arg === 'On';
  return undefined;
}

/** http_core.c's command table; the values live in the core server record. */
export const httpCoreDirectives: DirectiveEntry[] = [
  d('KeepAliveTimeout', 'TAKE1', RSRC_CONF, 'Keep-Alive timeout duration (sec)', 'yes', keepAliveTimeout),
  d('MaxKeepAliveRequests', 'TAKE1', RSRC_CONF, 'Maximum number of Keep-Alive requests per connection, or 0 for infinite', 'yes', maxKeepAliveRequests),
  d('KeepAlive', 'FLAG', RSRC_CONF, 'Whether persistent connections should be On or Off', 'yes', keepAlive),
];
