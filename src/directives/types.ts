import type { ConfigDirective, ConfigNode, ConfigSection, ConfigTree, Loc } from '../config/ast.js';
import type { ConfigError, Diagnostic } from '../util/diagnostics.js';

/**
 * Argument shapes, as httpd's `cmd_how`. The walker checks the count and calls the handler:
 *  - RAW_ARGS, TAKE_ARGV: once, with all words (RAW_ARGS handlers usually read `raw`).
 *  - NO_ARGS, TAKE1 … TAKE123: once, with the words.
 *  - ITERATE: once per word, `args` = [word].
 *  - ITERATE2: once per word after the first, `args` = [first, word].
 *  - FLAG: once, `args` = ['On'] or ['Off'].
 */
export type ArgShape =
  | 'RAW_ARGS'
  | 'TAKE_ARGV'
  | 'NO_ARGS'
  | 'TAKE1'
  | 'TAKE2'
  | 'TAKE12'
  | 'TAKE3'
  | 'TAKE23'
  | 'TAKE123'
  | 'TAKE13'
  | 'ITERATE'
  | 'ITERATE2'
  | 'FLAG';

/** httpd's override / context bits (http_config.h). */
export const OR_NONE = 0;
export const OR_LIMIT = 1;
export const OR_OPTIONS = 2;
export const OR_FILEINFO = 4;
export const OR_AUTHCFG = 8;
export const OR_INDEXES = 16;
export const OR_UNSET = 32;
/** Allowed in `<Directory>`, `<Location>`, `<Files>`, `<Proxy>` (and `<If>`). */
export const ACCESS_CONF = 64;
/** Allowed in the main server config and `<VirtualHost>`. */
export const RSRC_CONF = 128;
export const EXEC_ON_READ = 256;
export const OR_ALL = OR_LIMIT | OR_OPTIONS | OR_FILEINFO | OR_AUTHCFG | OR_INDEXES;

/** Flags for `Cmd.checkContext` (httpd's ap_check_cmd_context). */
export const NOT_IN_VIRTUALHOST = 0x01;
export const NOT_IN_LIMIT = 0x02;
export const NOT_IN_DIRECTORY = 0x04;
export const NOT_IN_LOCATION = 0x08;
export const NOT_IN_FILES = 0x10;
export const NOT_IN_HTACCESS = 0x20;
export const NOT_IN_PROXY = 0x40;
export const NOT_IN_DIR_LOC_FILE = NOT_IN_DIRECTORY | NOT_IN_LOCATION | NOT_IN_FILES;
export const NOT_IN_DIR_CONTEXT = NOT_IN_LIMIT | NOT_IN_DIR_LOC_FILE | NOT_IN_PROXY;
export const GLOBAL_ONLY = NOT_IN_VIRTUALHOST | NOT_IN_DIR_CONTEXT;

/**
 * Whether featherd acts on a directive at run time:
 *  - `yes`: behaves as in httpd 2.4;
 *  - `partial`: honoured, with the differences listed in `note`;
 *  - `ignored`: accepted and checked like httpd, but has no effect (configtest says so).
 */
export type Support = 'yes' | 'partial' | 'ignored';

/** The per-module configuration records of one server or one directory context. */
export type ConfigSet = Map<ModuleDef, unknown>;

/** A server: the main server or a `<VirtualHost>`. Module-specific data lives in `configs`. */
export interface ServerRec {
  isVirtual: boolean;
  /** The `<VirtualHost>` section (undefined for the main server). */
  section?: ConfigSection;
  /** Per-server module configs (httpd's module_config). */
  configs: ConfigSet;
  /** The server's default per-directory configs (httpd's lookup_defaults). */
  dirConfigs: ConfigSet;
}

/** What a directive handler is given (httpd's cmd_parms). */
export interface Cmd {
  /** The node being processed. */
  node: ConfigNode;
  entry: DirectiveEntry;
  /** The allowed-context mask in force (RSRC_CONF at top level/vhost, ACCESS_CONF|OR_ALL in sections). */
  override: number;
  /** Path/pattern of the innermost `<Directory>`/`<Location>`/`<Files>`/`<Proxy>` section, if any. */
  path?: string;
  /** Enclosing sections, outermost first (conditionals already removed by the reader). */
  sections: ConfigSection[];
  server: ServerRec;
  /** The per-directory configs being filled (the server's defaults at top level / in a vhost). */
  dirConfigs: ConfigSet;
  state: WalkState;
  /** The server config record of a module (created on first use). */
  serverConfig<S>(m: ModuleDef<S, unknown>): S;
  /** The per-directory config record of a module in the current context (created on first use). */
  dirConfig<D>(m: ModuleDef<unknown, D>): D;
  /** httpd's ap_check_cmd_context: an error message, or undefined. */
  checkContext(forbidden: number): string | undefined;
  /**
   * Walk the children of the current section in a new context (what a container handler does).
   * Returns the first error, already located.
   */
  walk(children: ConfigNode[], ctx: { override: number; path?: string; server?: ServerRec; dirConfigs?: ConfigSet }): ConfigError | undefined;
  /** A startup warning httpd would log (or a featherd lint finding at this directive). */
  warn(d: Omit<Diagnostic, 'loc'> & { loc?: Loc }): void;
}

/** State shared by the whole walk of one configuration. */
export interface WalkState {
  tree: ConfigTree;
  registry: Registry;
  mainServer: ServerRec;
  /** Virtual hosts in config order. */
  vhosts: ServerRec[];
  diagnostics: Diagnostic[];
  /** Free-form per-module global state (e.g. balancers defined so far), keyed by module. */
  global: Map<ModuleDef, unknown>;
  /** Create an empty per-dir config set. */
  newDirConfigs(): ConfigSet;
  /** Create an empty server record (for `<VirtualHost>`). */
  newServer(section: ConfigSection): ServerRec;
}

/** A handler returns an error message (httpd's `const char *`) or nothing. */
export type Handler = (cmd: Cmd, args: string[], raw: string) => string | ConfigError | undefined | void;

/** One directive, declared as data plus a typed handler. */
export interface DirectiveEntry {
  /** Canonical name (`ProxyPass`, `<Location`). Sections are declared with their `<`. */
  name: string;
  args: ArgShape;
  /** Allowed contexts (RSRC_CONF, ACCESS_CONF, OR_* bits). */
  contexts: number;
  /** httpd's help string (appended to argument-count errors). */
  help: string;
  support: Support;
  /** What differs from httpd, or why it is ignored. */
  note?: string;
  handler?: Handler;
}

/** An httpd module featherd mirrors. */
export interface ModuleDef<S = unknown, D = unknown> {
  /** Module identifier as used by LoadModule (`proxy_module`). */
  id: string;
  /** Source file name as used by `<IfModule mod_proxy.c>`. */
  file: string;
  /** Compiled into Debian's apache2 binary (always loaded; LoadModule of it is an error). */
  builtin?: boolean;
  /** Modules whose directives Apache only accepts when this one is loaded too (informational). */
  requires?: string[];
  createServerConfig?(): S;
  /** Merge a vhost's record over the main server's (httpd's merge_server_config). */
  mergeServerConfig?(base: S, add: S): S;
  createDirConfig?(): D;
  /** Merge a more specific per-dir record over a less specific one. */
  mergeDirConfig?(base: D, add: D): D;
  directives: DirectiveEntry[];
  /**
   * httpd's check_config hook, run after a walk without error: a failure is the message the
   * module logs (httpd then stops with `AH00014: Configuration check failed`).
   */
  checkConfig?(state: WalkState): Diagnostic | undefined;
}

/** All modules featherd knows and their directives, looked up case-insensitively. */
export interface Registry {
  modules: ModuleDef[];
  moduleById(id: string): ModuleDef | undefined;
  moduleByFile(file: string): ModuleDef | undefined;
  /** Entries for a lower-cased name across all known modules (loaded or not). */
  lookup(lowerName: string): { module: ModuleDef; entry: DirectiveEntry }[];
}

export type { ConfigDirective, ConfigSection };
