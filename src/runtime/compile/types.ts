/**
 * What one (re)load of the configuration compiles into. Built once by `compileConfig`, never
 * changed afterwards; a reload builds a new one and the old one serves its in-flight requests.
 */
import type { Loc } from '../../config/ast.js';
import type { ConfigSet, ModuleDef, ServerRec } from '../../directives/types.js';
import type { ConfigError } from '../../util/diagnostics.js';
import type { CoreServerConfig } from '../../modules/core/config.js';
import type { ErrorLog } from '../errorlog.js';
import type { HttpError } from '../http-error.js';
import type { LogFiles } from '../logfiles.js';
import type { Pipeline, RequestContext, TlsProvider } from '../server.js';
import type { MpmSettings } from '../mpm.js';
import type { VhostTable } from '../vhost.js';

/** One `Listen` address to bind. */
export interface CompiledListener {
  /** IP or host name; `::` for `Listen port` (all addresses). */
  host: string;
  port: number;
  protocol: string;
  loc: Loc;
}

/**
 * A per-directory section (`<Location>`, `<LocationMatch>`, `<Proxy>`, `<ProxyMatch>`) with its
 * matcher compiled. `match` returns null when the section does not apply, else the regex
 * groups (an empty array for prefix and wildcard sections).
 */
export interface CompiledSection {
  kind: 'location' | 'locationmatch' | 'proxy' | 'proxymatch';
  /** The path or pattern as written (for messages). */
  path: string;
  match(subject: string): RegExpExecArray | readonly string[] | null;
  /** Named groups whose values become `MATCH_<NAME>` environment variables. */
  groupNames: string[];
  dirConfigs: ConfigSet;
  loc: Loc;
}

/** The main server or one `<VirtualHost>`, with the main server's settings merged in. */
export interface CompiledServer {
  /** Index: 0 = main server, 1… = virtual hosts in file order. */
  index: number;
  isVirtual: boolean;
  rec: ServerRec;
  /** ServerName (host only). */
  name: string;
  /** The port from ServerName, 0 when none was given. */
  port: number;
  /** The core server record with unset values taken from the main server's. */
  core: CoreServerConfig;
  /** Per-server module records, merged over the main server's (modules' mergeServerConfig). */
  configs: ConfigSet;
  /** The server's default per-directory records (httpd's lookup_defaults), merged over the main server's. */
  dirDefaults: ConfigSet;
  /** `<Location>`/`<LocationMatch>` sections in httpd's order: the main server's, then the vhost's. */
  locations: CompiledSection[];
  /** Where this server's errors go (ErrorLog, LogLevel). */
  errorLog: ErrorLog;
  /** Load-time data of modules for this server (their `compile` hook's per-server part). */
  data: Map<ModuleDef, unknown>;
}

/** The whole compiled configuration (one generation). */
export interface CompiledConfig {
  generation: number;
  serverRoot: string;
  mainFile: string;
  listeners: CompiledListener[];
  main: CompiledServer;
  vhosts: CompiledServer[];
  /** Vhost selection (`VhostTable.forConnection(...).forRequest(...)`); an id of null is the main server. */
  vhostTable: VhostTable<CompiledServer>;
  pidFile: string;
  /** What the MPM directives say (ThreadsPerChild sizes mod_proxy's pools; process counts). */
  mpm: MpmSettings;
  /** The request pipeline, modules' hooks registered in module order. */
  pipeline: Pipeline;
  /** Load-time data of modules for the whole configuration. */
  data: Map<ModuleDef, unknown>;
  /**
   * Tried in order before the default error page is sent (ErrorDocument): the first that
   * returns true has answered the request itself.
   */
  errorResponders: ErrorResponder[];
  /**
   * TLS of the connections to a local address, set by mod_ssl's compile step when it is loaded
   * (listeners then accept TLS and plain HTTP alike); absent without mod_ssl.
   */
  tls?: TlsProvider;
  /** Releases pools, log files and pipes (after in-flight requests finished). */
  close(): Promise<void>;
}

export type ErrorResponder = (ctx: RequestContext, error: HttpError) => boolean | Promise<boolean>;

/** What a module's compile hook gets. */
export interface CompileContext {
  config: Omit<CompiledConfig, 'pipeline' | 'close' | 'errorResponders'>;
  registry: import('../../directives/types.js').Registry;
  /** The module whose hook runs. */
  module: ModuleDef;
  /** Ids of the loaded modules (built-ins and LoadModule), in load order. */
  loadedModules: readonly string[];
  /** Log destinations opened for this generation (error logs, access logs). */
  logFiles: LogFiles;
  /** Registers a cleanup run by `CompiledConfig.close()`. */
  onClose(fn: () => Promise<void> | void): void;
  /** A warning logged when the configuration is started (httpd's startup messages). */
  warn(message: string, loc?: Loc): void;
}

/**
 * A module's run-time part, declared on its ModuleDef (`runtime`). `compile` runs once per
 * (re)load after the servers are built and may return a ConfigError (with a loc) that refuses
 * the configuration; it fills `config.data` / `server.data`. `register` adds the module's
 * hooks to the phases of the pipeline. Both run in module order (core first).
 */
export interface RuntimeHooks {
  compile?(cc: CompileContext): ConfigError | undefined;
  register?(pipeline: Pipeline, compiled: CompiledConfig, module: ModuleDef): void;
}
