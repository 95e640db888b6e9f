import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';
import { watchdogInterval } from './interval.js';

/** mod_watchdog.c */
export const watchdogDirectives: DirectiveEntry[] = [
  d('WatchdogInterval', 'TAKE1', RSRC_CONF, 'Watchdog interval in seconds', 'ignored', watchdogInterval, NOTE.watchdog),
];
