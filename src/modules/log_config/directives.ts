import type { Cmd, DirectiveEntry, ModuleDef } from '../../directives/types.js';
import { GLOBAL_ONLY, RSRC_CONF } from '../../directives/types.js';
import { d } from '../core/entry.js';
import { createLogConfigServer, type LogConfigServer, type LogTarget } from './config.js';
import { isLoaded } from '../authz_core/loaded.js';
import { parseLogFormat } from './format.js';
import { parseExpr } from '../../expr/index.js';

let self: ModuleDef<LogConfigServer, unknown> | undefined;
/** Set by module.ts (the module object keys the records). */
export function bindLogConfig(m: ModuleDef<LogConfigServer, unknown>): void {
  self = m;
}
function conf(cmd: Cmd): LogConfigServer {
  if (!self) return createLogConfigServer();
  return cmd.serverConfig(self);
}

/** Letters other loaded modules register (mod_ssl: `%{VAR}x`, `%{VAR}c`). */
function extraKeys(cmd: Cmd): ReadonlySet<string> {
  return isLoaded(cmd, 'ssl_module') ? new Set(['x', 'c']) : new Set();
}

function logFormat(cmd: Cmd, args: string[]) {
  const items = parseLogFormat(args[0], extraKeys(cmd));
  if (typeof items === 'string') return items;
  if (args.length === 2) conf(cmd).formats.set(args[1], { format: args[0], items });
  else conf(cmd).defaultFormat = { format: args[0], items };
  return undefined;
}

function addLog(global: boolean) {
  return (cmd: Cmd, args: string[]) => {
    if (global) {
      const err = cmd.checkContext(GLOBAL_ONLY);
      if (err) return err;
    }
    const [target, format, cond] = args;
    const rec: LogTarget = { target, global, loc: cmd.node.loc };
    if (cond !== undefined) {
      if (cond.toLowerCase().startsWith('env=')) {
        const v = cond.slice(4);
        rec.env = v.startsWith('!') ? { name: v.slice(1), negate: true } : { name: v, negate: false };
      } else if (cond.toLowerCase().startsWith('expr=')) {
        rec.expr = cond.slice(5);
        const parsed = parseExpr(rec.expr, { ssl: cmd.state.tree.loadedModules.includes('ssl_module') });
        if (!parsed.ok) return parsed.error;
        rec.parsed = parsed.value;
      } else {
        return 'error in condition clause';
      }
    }
    if (format !== undefined) {
      const items = parseLogFormat(format, extraKeys(cmd));
      if (typeof items === 'string') return items;
      rec.format = format;
      rec.items = items;
    }
    conf(cmd).logs.push(rec);
    return undefined;
  };
}

function bufferedLogs(cmd: Cmd, [arg]: string[]) {
  conf(cmd).bufferedLogs = arg === 'On';
  return undefined;
}

/** mod_log_config.c's command table. */
export const logConfigDirectives: DirectiveEntry[] = [
  d('CustomLog', 'TAKE23', RSRC_CONF, 'a file name, a custom log format string or format name, and an optional "env=" or "expr=" clause (see docs)', 'yes', addLog(false)),
  d('GlobalLog', 'TAKE23', RSRC_CONF, 'Same as CustomLog, but forces virtualhosts to inherit the log', 'yes', addLog(true)),
  d('TransferLog', 'TAKE1', RSRC_CONF, 'the filename of the access log', 'yes', addLog(false)),
  d('LogFormat', 'TAKE12', RSRC_CONF, 'a log format string (see docs) and an optional format name', 'yes', logFormat),
  d('BufferedLogs', 'FLAG', RSRC_CONF, 'Enable Buffered Logging (experimental)', 'ignored', bufferedLogs, 'log lines are written as they come'),
];
