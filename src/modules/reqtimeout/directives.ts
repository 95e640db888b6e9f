import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { requestReadTimeout } from './handlers.js';
import { d } from '../core/entry.js';

/** mod_reqtimeout.c */
export const reqtimeoutDirectives: DirectiveEntry[] = [
  d('RequestReadTimeout', 'RAW_ARGS', RSRC_CONF, 'Set various timeout parameters for TLS handshake and/or reading request headers and body', 'ignored', requestReadTimeout, 'request read timeouts come from Timeout'),
];
