import type { Cmd, DirectiveEntry, ModuleDef } from '../../directives/types.js';
import { OR_FILEINFO } from '../../directives/types.js';
import { d } from '../core/entry.js';

/** mod_env's per-directory record: variables to set (a value) or remove (null), in order of effect. */
export interface EnvDirConfig {
  vars: Map<string, string | null>;
}

export function createEnvDirConfig(): EnvDirConfig {
  return { vars: new Map() };
}

let self: ModuleDef<unknown, EnvDirConfig> | undefined;
export function bindEnv(m: ModuleDef<unknown, EnvDirConfig>): void {
  self = m;
}
function conf(cmd: Cmd): EnvDirConfig {
  return self ? cmd.dirConfig(self) : createEnvDirConfig();
}

/** `PassEnv VAR …`: the value is taken from featherd's environment when the config is read. */
function passEnv(cmd: Cmd, [name]: string[]) {
  const value = process.env[name];
  if (value === undefined) {
    cmd.warn({ severity: 'warning', rule: 'httpd', code: 'AH01506', message: `PassEnv variable ${name} was undefined` });
  } else {
    conf(cmd).vars.set(name, value);
  }
  return undefined;
}

function setEnv(cmd: Cmd, [name, value]: string[]) {
  conf(cmd).vars.set(name, value ?? '');
  return undefined;
}

function unsetEnv(cmd: Cmd, [name]: string[]) {
  conf(cmd).vars.set(name, null);
  return undefined;
}

/** mod_env.c's command table. */
export const envDirectives: DirectiveEntry[] = [
  d('PassEnv', 'ITERATE', OR_FILEINFO, 'a list of environment variables to pass to CGI.', 'yes', passEnv),
  d('SetEnv', 'TAKE12', OR_FILEINFO, 'an environment variable name and optional value to pass to CGI.', 'yes', setEnv),
  d('UnsetEnv', 'ITERATE', OR_FILEINFO, 'a list of variables to remove from the CGI environment.', 'yes', unsetEnv),
];
