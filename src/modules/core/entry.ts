import type { ArgShape, DirectiveEntry, Handler, Support } from '../../directives/types.js';

/**
 * One command-table line, in the order httpd's AP_INIT_* macros take it:
 * name, argument shape, allowed contexts, help string; then what featherd does with it.
 */
export function d(
  name: string,
  args: ArgShape,
  contexts: number,
  help: string,
  support: Support,
  handler?: Handler,
  note?: string,
): DirectiveEntry {
  const e: DirectiveEntry = { name, args, contexts, help, support };
  if (handler) e.handler = handler;
  if (note) e.note = note;
  return e;
}

/** Notes shared by many ignored directives. */
export const NOTE = {
  mpm: 'process and thread tuning of the httpd MPM; featherd serves on event loops, not threads',
  mpmStart: 'featherd starts that many server processes (at most one per CPU); without StartServers, one',
  mpmThreads: "sizes each proxy worker's connection pool in a process (as httpd's max=); requests are served on an event loop, not threads",
  mpmBound: 'only as httpd uses it to correct StartServers and ThreadsPerChild',
  process: 'process identity and privileges are managed outside featherd',
  static: "featherd's handler for local files does not use it",
  htaccess: 'featherd reads no .htaccess files',
  cgi: 'featherd runs no CGI scripts',
  filters: 'httpd content filters are not part of featherd',
  autoindex: 'directory listings are plain name lists (Options Indexes)',
  mime: 'of the file-extension metadata, only media types (AddType, TypesConfig) are used for local files',
  negotiation: 'featherd does no content negotiation of local files',
  deflate: 'featherd does not compress responses',
  expires: 'featherd does not add Expires headers',
  info: 'featherd has no server-info page',
  logio: 'byte counts are always tracked',
  watchdog: 'featherd has no watchdog threads',
  so: 'executed while the configuration is read',
};
