import type { ModuleDef } from '../../directives/types.js';
import { createLogConfigServer, type LogConfigServer } from './config.js';
import { bindLogConfig, logConfigDirectives } from './directives.js';

/** mod_log_config.c */
export const logConfigModule: ModuleDef<LogConfigServer, unknown> = {
  id: 'log_config_module',
  file: 'mod_log_config.c',
  builtin: true,
  createServerConfig: createLogConfigServer,
  directives: logConfigDirectives,
};
bindLogConfig(logConfigModule);

/** The access-log configuration of a server (formats, logs), or undefined if none was set. */
export function logConfigOf(server: { configs: Map<ModuleDef, unknown> }): LogConfigServer | undefined {
  return server.configs.get(logConfigModule as ModuleDef) as LogConfigServer | undefined;
}

export type { LogConfigServer, LogTarget } from './config.js';
export type { LogItem } from './format.js';
export { parseLogFormat } from './format.js';
