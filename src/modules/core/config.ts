import path from 'node:path';
import type { Loc } from '../../config/ast.js';
import type { Cmd, ConfigSet, ModuleDef, ServerRec } from '../../directives/types.js';
import type { Expr } from '../../expr/index.js';

/** `Listen [addr:]port [protocol]` (kept on the main server). */
export interface Listener {
  /** Host or IP as written (without brackets); undefined for `Listen 80` and `Listen *:80`. */
  address?: string;
  port: number;
  /** Lower-cased protocol (`http`, `https`, or as given). */
  protocol: string;
  /** IPv6 scope id (`%eth0`), if any. */
  scopeId?: string;
  loc: Loc;
}

/** One address of a `<VirtualHost>` (httpd's server_addr_rec). */
export interface VhostAddr {
  /** The word as written. */
  text: string;
  /** Host or IP without brackets; `*` for `*` and `_default_`. */
  host: string;
  /** `*` or `_default_`: matches any local address. */
  wildcard: boolean;
  /** Whether the host was written as an IPv6 literal. */
  ipv6: boolean;
  /** 0 = any port (`:*`, or no port and no main-server port known). */
  port: number;
}

/** `ServerName [scheme://]host[:port]`. */
export interface ServerName {
  scheme?: string;
  host: string;
  port?: number;
  loc: Loc;
}

/** httpd log levels, as numbers (APLOG_EMERG … APLOG_TRACE8). */
export const LOG_LEVELS = [
  'emerg',
  'alert',
  'crit',
  'error',
  'warn',
  'notice',
  'info',
  'debug',
  'trace1',
  'trace2',
  'trace3',
  'trace4',
  'trace5',
  'trace6',
  'trace7',
  'trace8',
] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface LogLevelConfig {
  /** Level for all modules (undefined = inherit; httpd's default is warn). */
  level?: LogLevelName;
  /** Per-module levels, keyed by module id (`proxy_module`). */
  modules: Map<string, LogLevelName>;
}

export interface HttpProtocolOptions {
  strict?: boolean;
  registeredMethods?: boolean;
  allow09?: boolean;
}

/** What kind of section a directory-type container is. */
export type SectionKind =
  | 'directory'
  | 'directorymatch'
  | 'location'
  | 'locationmatch'
  | 'files'
  | 'filesmatch'
  | 'if'
  | 'elseif'
  | 'else';

/** One `<Directory>`/`<Location>`/`<Files>`/`<If>` section, with the per-dir configs of its body. */
export interface CoreSection {
  kind: SectionKind;
  /**
   * Path or pattern: canonical directory path ending in `/` for `<Directory>`, the URL path
   * for `<Location>`, the file pattern for `<Files>`, the regex source for the regex forms,
   * the enclosing path for `<If>`.
   */
  path: string;
  /** For `…Match` sections and `~` forms. */
  regex?: RegExp;
  /** Named groups of `regex` (their values become `MATCH_<NAME>` variables). */
  groupNames?: string[];
  /** Whether `path` contains wildcard characters (`*`, `?`, `[`): matched with fnmatch rules. */
  isFnmatch: boolean;
  /** The ap_expr condition of `<If>`/`<ElseIf>`, as written and parsed. */
  condition?: string;
  expr?: Expr;
  loc: Loc;
  /** The per-module configs of the section body. */
  dirConfigs: ConfigSet;
  /** Sections nested in this one (`<Files>`/`<If>` in `<Directory>`, `<If>` in `<Location>` …), in file order. */
  nested: CoreSection[];
}

/** The core module's per-server record (server_rec fields plus core_server_config). */
export interface CoreServerConfig {
  serverName?: ServerName;
  /** The server's port: from ServerName; a vhost starts with the main server's at its definition. */
  port: number;
  /** Exact ServerAlias names, in order. */
  aliases: string[];
  /** ServerAlias names with `*`/`?`, in order. */
  wildAliases: string[];
  /** `<VirtualHost>` addresses (empty for the main server). */
  addresses: VhostAddr[];
  /** Listen directives (main server only). */
  listeners: Listener[];
  /**
   * The MPM's tuning directives as written (StartServers, ThreadsPerChild, ServerLimit…), by
   * directive name, the last one winning (main server only; src/runtime/mpm.ts reads them).
   */
  mpm?: Record<string, string>;
  serverAdmin?: string;
  serverPath?: string;
  /** Seconds. */
  timeout?: number;
  keepAlive?: boolean;
  /** Milliseconds. */
  keepAliveTimeout?: number;
  /** 0 = unlimited. */
  maxKeepAliveRequests?: number;
  documentRoot?: string;
  errorLog?: string;
  errorLogFormat: { kind?: 'request' | 'connection'; format: string }[];
  logLevel: LogLevelConfig;
  pidFile?: string;
  serverTokens?: 'Major' | 'Minor' | 'Minimal' | 'ProductOnly' | 'OS' | 'Full';
  limitRequestLine?: number;
  limitRequestFieldSize?: number;
  limitRequestFields?: number;
  strictHostCheck?: boolean;
  httpProtocolOptions: HttpProtocolOptions;
  mergeSlashes?: boolean;
  allowEncodedSlashes?: 'on' | 'off' | 'nodecode';
  traceEnable?: 'on' | 'off' | 'extended';
  protocols?: string[];
  protocolsHonorOrder?: boolean;
  /** `Protocol` (listener protocol for this server). */
  protocol?: string;
  extendedStatus?: boolean;
  /** LimitInternalRecursion. */
  redirectLimit?: number;
  subreqLimit?: number;
  /** Top-level sections of this server, in file order. */
  sections: CoreSection[];
}

export type OptionName =
  | 'Indexes'
  | 'Includes'
  | 'IncludesNOEXEC'
  | 'FollowSymLinks'
  | 'SymLinksIfOwnerMatch'
  | 'ExecCGI'
  | 'MultiViews';

export interface ErrorDocumentEntry {
  /** `text`: a message; `local`: a local URL path; `remote`: a full URL; `default`: httpd's canned page. */
  kind: 'text' | 'local' | 'remote' | 'default';
  value: string;
  /** `value` as an ap_expr string expression (httpd evaluates `%{…}` in it per request). */
  expr?: Expr;
}

/** The core module's per-directory record (core_dir_config). */
export interface CoreDirConfig {
  /** `Options`: explicit set (replaces inherited) or +/- changes. */
  options?: { set?: Set<OptionName>; add: Set<OptionName>; remove: Set<OptionName> };
  /** AllowOverride as OR_* bits. */
  allowOverride?: number;
  allowOverrideList?: string[];
  handler?: string;
  forceType?: string;
  outputFilters?: string[];
  inputFilters?: string[];
  errorDocuments: Map<number, ErrorDocumentEntry>;
  hostnameLookups?: 'on' | 'off' | 'double';
  useCanonicalName?: 'on' | 'off' | 'dns';
  useCanonicalPhysicalPort?: boolean;
  serverSignature?: 'on' | 'off' | 'email';
  addDefaultCharset?: string | false;
  acceptPathInfo?: 'on' | 'off' | 'default';
  enableMMAP?: boolean;
  enableSendfile?: boolean;
  /** `FileETag` as httpd keeps it (etag_bits, etag_add, etag_remove; ETAG_* bits of etag.ts). */
  etag?: { bits: number; add: number; remove: number };
  /**
   * MaxRanges, MaxRangeOverlaps and MaxRangeReversals: a positive number, RANGES_NONE,
   * RANGES_UNLIMITED or RANGES_DEFAULT (httpd's AP_MAXRANGES_*); unset is the default too.
   */
  maxRanges?: number;
  maxRangeOverlaps?: number;
  maxRangeReversals?: number;
  /** Bytes; 0 = unlimited. */
  limitRequestBody?: number;
  limitXMLRequestBody?: number;
  /** LogLevel inside a section. */
  logLevel?: LogLevelConfig;
  /** Sections nested in the section these configs belong to (shared with CoreSection.nested). */
  nested: CoreSection[];
  /**
   * In a merged record: the `<If>`/`<ElseIf>`/`<Else>` sections of every record merged into it,
   * in merge order (httpd's `sec_if`, concatenated by merge_core_dir_configs).
   */
  ifSections?: CoreSection[];
}

/** `MaxRanges none`: no byte ranges (Accept-Ranges: none). */
export const RANGES_NONE = 0;
/** `MaxRanges unlimited`. */
export const RANGES_UNLIMITED = -1;
/** `MaxRanges default`: httpd's built-in limit, also over an inherited value. */
export const RANGES_DEFAULT = -2;

/** httpd's DEFAULT_PIDLOG: the PidFile when none is set, relative to the ServerRoot. */
export const DEFAULT_PIDLOG = 'logs/httpd.pid';

/** The PidFile of a main server's core record, as an absolute path. */
export function pidFilePath(serverRoot: string, core: CoreServerConfig): string {
  return path.resolve(serverRoot, core.pidFile ?? DEFAULT_PIDLOG);
}

export function createCoreServerConfig(): CoreServerConfig {
  return {
    port: 0,
    aliases: [],
    wildAliases: [],
    addresses: [],
    listeners: [],
    errorLogFormat: [],
    logLevel: { modules: new Map() },
    httpProtocolOptions: {},
    sections: [],
  };
}

export function createCoreDirConfig(): CoreDirConfig {
  return { errorDocuments: new Map(), nested: [] };
}

/**
 * The core module object is needed to key its records, but module.ts imports this file;
 * module.ts registers itself here to break the cycle.
 */
let coreRef: ModuleDef<CoreServerConfig, CoreDirConfig> | undefined;
export function registerCoreModule(m: ModuleDef<CoreServerConfig, CoreDirConfig>): void {
  coreRef = m;
}
function core(): ModuleDef<CoreServerConfig, CoreDirConfig> {
  if (!coreRef) throw new Error('core module not registered');
  return coreRef;
}

/** The core record of a server (created on first use). */
export function coreServer(server: ServerRec): CoreServerConfig {
  const m = core();
  let c = server.configs.get(m) as CoreServerConfig | undefined;
  if (!c) {
    c = createCoreServerConfig();
    server.configs.set(m, c);
  }
  return c;
}

/** The core per-dir record of a config set (created on first use). */
export function coreDir(set: ConfigSet): CoreDirConfig {
  const m = core();
  let c = set.get(m) as CoreDirConfig | undefined;
  if (!c) {
    c = createCoreDirConfig();
    set.set(m, c);
  }
  return c;
}

/** The sections of a server in file order (top level of the server or vhost body). */
export function coreSections(server: ServerRec): CoreSection[] {
  return coreServer(server).sections;
}

/** The main server's listeners. */
export function coreListeners(mainServer: ServerRec): Listener[] {
  return coreServer(mainServer).listeners;
}

/** Shorthand for handlers. */
export function cs(cmd: Cmd): CoreServerConfig {
  return coreServer(cmd.server);
}
export function cd(cmd: Cmd): CoreDirConfig {
  return coreDir(cmd.dirConfigs);
}
