/**
 * The error log (ErrorLog, LogLevel): httpd's default line format
 *   `[Fri Nov 27 11:59:33.716849 2026] [proxy:error] [pid 1234:tid 1234] [client 127.0.0.1:5555] AH01114: …`
 * filtered by the level of the module that logs (`LogLevel warn proxy:debug`).
 */
import { LOG_LEVELS, type LogLevelConfig, type LogLevelName } from '../modules/core/config.js';
import { logTimestamp, nowMicros } from '../cli/log.js';
import type { LogSink } from './logfiles.js';

export interface ErrorLog {
  /** Whether a message of `level` from `moduleId` (`proxy_module`, or `core`) would be written. */
  enabled(level: LogLevelName, moduleId: string): boolean;
  /** Writes one line when the level allows it. `module` is the short name (`proxy`, `core`). */
  log(level: LogLevelName, module: string, message: string, client?: { ip: string; port: number }): void;
  /** The same log file with other levels (a request's per-directory LogLevel). */
  withLevels(levels: LogLevelConfig): ErrorLog;
}

/** Levels in force: `LogLevel` of the server (default warn) and per-module overrides. */
export function effectiveLevels(conf: LogLevelConfig | undefined, base?: LogLevelConfig): LogLevelConfig {
  const modules = new Map(base?.modules ?? []);
  if (conf?.level !== undefined) modules.clear();
  for (const [k, v] of conf?.modules ?? []) modules.set(k, v);
  return { level: conf?.level ?? base?.level ?? 'warn', modules };
}

export function createErrorLog(sink: LogSink, levels: LogLevelConfig, pid = process.pid): ErrorLog {
  const threshold = (moduleId: string): number => {
    const id = moduleId.endsWith('_module') ? moduleId : `${moduleId}_module`;
    const lvl = levels.modules.get(id) ?? levels.level ?? 'warn';
    return LOG_LEVELS.indexOf(lvl);
  };
  // httpd writes notice messages whatever the LogLevel (log.c: level != APLOG_NOTICE).
  const enabled = (level: LogLevelName, moduleId: string): boolean => level === 'notice' || LOG_LEVELS.indexOf(level) <= threshold(moduleId);
  return {
    enabled,
    log(level, module, message, client) {
      if (!enabled(level, module)) return;
      const who = client ? ` [client ${client.ip}:${client.port}]` : '';
      sink.write(`[${logTimestamp(nowMicros())}] [${module}:${level}] [pid ${pid}:tid ${pid}]${who} ${message}\n`);
    },
    withLevels: (l) => createErrorLog(sink, l, pid),
  };
}
