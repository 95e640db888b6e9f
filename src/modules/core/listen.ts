import type { Cmd, WalkState } from '../../directives/types.js';
import { GLOBAL_ONLY } from '../../directives/types.js';
import { parseAddrPort } from './addr.js';
import { coreServer } from './config.js';
import { atoi } from './server-directives.js';

/**
 * `Listen [addr:]port [protocol]` (server/listen.c ap_set_listener, alloc_listener). Declared
 * by each MPM, as in httpd; the listeners are kept in the main server's core record.
 * Host names are not resolved here (httpd resolves them and fails with "Listen setup failed").
 */
export function listen(cmd: Cmd, args: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  if (args.length < 1 || args.length > 2) return 'Listen requires 1 or 2 arguments.';
  const p = parseAddrPort(args[0]);
  if (!p) return 'Invalid address or port';
  const host = p.host === '*' ? undefined : p.host;
  if (!p.port) return 'Port must be specified';
  const protocol = args.length === 2 ? args[1].toLowerCase() : p.port === 443 ? 'https' : 'http';
  const conf = coreServer(cmd.state.mainServer);
  for (const l of conf.listeners) {
    if (l.port === p.port && l.address === host) return 'Cannot define multiple Listeners on the same IP:port';
  }
  const rec: (typeof conf.listeners)[number] = { port: p.port, protocol, loc: cmd.node.loc };
  if (host !== undefined) rec.address = host;
  if (p.scopeId !== undefined) rec.scopeId = p.scopeId;
  conf.listeners.push(rec);
  return undefined;
}

/** The listen-related directives every MPM shares (LISTEN_COMMANDS). */
export function listenBacklog(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  return atoi(arg) <= 0 ? 'ListenBacklog must be > 0' : undefined;
}

export function positive(message: string) {
  return (cmd: Cmd, [arg]: string[]) => {
    const err = cmd.checkContext(GLOBAL_ONLY);
    if (err) return err;
    return atoi(arg) <= 0 ? message : undefined;
  };
}

export function bufferSize(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  const n = atoi(arg);
  if (n < 512 && n !== 0) return `${cmd.entry.name} must be >= 512 bytes, or 0 for system default.`;
  return undefined;
}

/**
 * MPM directives that httpd only accepts in the main server. Their argument is kept for the
 * run time (src/runtime/mpm.ts), as the MPM's own handlers keep it (`atoi` there).
 */
export function mpmGlobal(cmd: Cmd, args: string[] = []) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  if (args.length > 0) (coreServer(cmd.state.mainServer).mpm ??= {})[cmd.entry.name] = args[0];
  return undefined;
}

/** `AsyncRequestWorkerFactor` (event.c). */
export function asyncRequestWorkerFactor(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(arg)) return 'error parsing value';
  if (Number(arg) <= 0) return 'AsyncRequestWorkerFactor argument must be a positive number';
  return undefined;
}

const MPM_IDS = ['mpm_event_module', 'mpm_worker_module', 'mpm_prefork_module'];

/**
 * httpd -t fails after reading the configuration unless exactly one MPM module was loaded.
 * Returns httpd's message, printed by httpd as `AH00534: apache2: Configuration error: <message>`.
 */
export function checkMpm(state: WalkState): string | undefined {
  return checkMpmModules(state.tree.loadedModules);
}

/**
 * The same check on the ids of the loaded modules (ConfigTree.loadedModules). httpd makes it in
 * ap_read_config, after reading the files and before running any directive handler.
 */
export function checkMpmModules(loaded: readonly string[]): string | undefined {
  const n = loaded.filter((id) => MPM_IDS.includes(id)).length;
  if (n === 0) return 'No MPM loaded.';
  if (n > 1) return 'More than one MPM loaded.';
  return undefined;
}
