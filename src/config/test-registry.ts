/**
 * A small directive registry for the config reader's tests: a few core directives and
 * containers with httpd's names, shapes and help strings, independent of the full modules.
 */
import { createRegistry } from '../directives/registry.js';
import type { Cmd, ModuleDef, Registry } from '../directives/types.js';
import { ACCESS_CONF, OR_ALL, RSRC_CONF } from '../directives/types.js';
import type { ConfigSection } from './ast.js';
import type { ConfigError } from '../util/diagnostics.js';

function container(name: string) {
  return (cmd: Cmd, args: string[]): string | ConfigError | undefined => {
    const node = cmd.node as ConfigSection;
    if (!node.closed) return `${name}> directive missing closing '>'`;
    if (args.length === 0) return `${name}> directive requires additional arguments`;
    if (args.length > 1) return `Multiple ${name}> arguments not (yet) supported.`;
    const err = cmd.walk(node.children, { override: ACCESS_CONF | OR_ALL, path: args[0] });
    return err;
  };
}

export function testModules(): ModuleDef[] {
  const core: ModuleDef = {
    id: 'core_module',
    file: 'core.c',
    builtin: true,
    directives: [
      { name: 'ServerName', args: 'TAKE1', contexts: RSRC_CONF, help: 'The hostname and port of the server', support: 'yes' },
      { name: 'ServerAdmin', args: 'TAKE1', contexts: RSRC_CONF, help: 'The email address of the server administrator', support: 'yes' },
      { name: 'ErrorLog', args: 'TAKE1', contexts: RSRC_CONF, help: 'The filename of the error log', support: 'yes' },
      { name: '<Location', args: 'RAW_ARGS', contexts: RSRC_CONF, help: 'Container for directives affecting resources accessed through the specified URL paths', support: 'yes', handler: container('<Location') },
      { name: '<Directory', args: 'RAW_ARGS', contexts: RSRC_CONF, help: 'Container for directives affecting resources located in the specified directories', support: 'yes', handler: container('<Directory') },
    ],
  };
  const so: ModuleDef = { id: 'so_module', file: 'mod_so.c', builtin: true, directives: [] };
  const version: ModuleDef = { id: 'version_module', file: 'mod_version.c', builtin: true, directives: [] };
  const mpm: ModuleDef = { id: 'mpm_event_module', file: 'event.c', directives: [] };
  const proxy: ModuleDef = {
    id: 'proxy_module',
    file: 'mod_proxy.c',
    directives: [{ name: 'ProxyRequests', args: 'FLAG', contexts: RSRC_CONF, help: 'on if the true proxy requests should be accepted', support: 'yes' }],
  };
  const macro: ModuleDef = { id: 'macro_module', file: 'mod_macro.c', directives: [] };
  return [core, so, version, mpm, proxy, macro];
}

export function testRegistry(): Registry {
  return createRegistry(testModules());
}
