import type { Cmd } from '../../directives/types.js';
import { cd, cs, LOG_LEVELS, type LogLevelConfig, type LogLevelName } from './config.js';

const BAD_LEVEL = 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8';

/** ap_parse_log_level: a level keyword, any case. */
export function parseLogLevel(s: string): LogLevelName | undefined {
  const l = s.toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(l) ? (l as LogLevelName) : undefined;
}

/**
 * core.c find_module as LogLevel uses it: a loaded module by source file name
 * (`mod_proxy.c`), by identifier (`proxy_module`), or by identifier without `_module`.
 */
export function findLoadedModule(cmd: Cmd, name: string): string | undefined {
  const loaded = cmd.state.tree.loadedModules;
  const byFile = cmd.state.registry.moduleByFile(name);
  if (byFile && loaded.includes(byFile.id)) return byFile.id;
  if (loaded.includes(name)) return name;
  if (loaded.includes(`${name}_module`)) return `${name}_module`;
  return undefined;
}

/** `LogLevel [module:]level …` (ITERATE; per server, or per directory inside a section). */
export function logLevel(cmd: Cmd, [arg]: string[]) {
  let conf: LogLevelConfig;
  if (cmd.path !== undefined) {
    const dir = cd(cmd);
    dir.logLevel ??= { modules: new Map() };
    conf = dir.logLevel;
  } else {
    conf = cs(cmd).logLevel;
  }
  const colon = arg.lastIndexOf(':');
  if (colon < 0) {
    const level = parseLogLevel(arg);
    if (!level) return BAD_LEVEL;
    conf.level = level;
    conf.modules.clear();
    return undefined;
  }
  const mod = arg.slice(0, colon);
  const levelStr = arg.slice(colon + 1);
  if (levelStr === '') return `Module specifier '${mod}' must be followed by a log level keyword`;
  const level = parseLogLevel(levelStr);
  if (!level) return `${mod}:${levelStr}: ${BAD_LEVEL}`;
  const id = findLoadedModule(cmd, mod);
  if (!id) return `Cannot find module ${mod}`;
  conf.modules.set(id, level);
  return undefined;
}
