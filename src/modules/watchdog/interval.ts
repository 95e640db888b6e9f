import type { Cmd } from '../../directives/types.js';
import { GLOBAL_ONLY } from '../../directives/types.js';
import { parseTimeout } from '../core/server-directives.js';

/** `WatchdogInterval time[unit]` (mod_watchdog.c wd_cmd_watchdog_int). */
export function watchdogInterval(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  const ms = parseTimeout(arg);
  if (ms === undefined) return 'Unparse-able WatchdogInterval setting';
  if (ms < 100) return 'Invalid WatchdogInterval: minimal value 100ms';
  return undefined;
}
