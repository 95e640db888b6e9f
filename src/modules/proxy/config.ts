/**
 * The configuration records of mod_proxy as featherd keeps them after the directive walk:
 * what the runtime compiler consumes. Names follow httpd's proxy_server_conf / proxy_dir_conf.
 */
import type { Loc } from '../../config/ast.js';
import type { Cmd, ConfigSet, ModuleDef, ServerRec } from '../../directives/types.js';

export const PROXY_MODULE_ID = 'proxy_module';

/** Worker status flags (`status=` letters, httpd's proxy_wstat_tbl). */
export type StatusFlag = 'O' | 'I' | 'N' | 'G' | 'U' | 'D' | 'S' | 'E' | 'H' | 'R' | 'F' | 'C';

/** Health-check methods (proxy_hcmethods). */
export type HcMethod = 'NONE' | 'TCP' | 'OPTIONS' | 'HEAD' | 'GET' | 'CPING' | 'PROVIDER' | 'OPTIONS11' | 'HEAD11' | 'GET11';

export interface HealthCheck {
  method: HcMethod;
  /** Microseconds (default 30 s). */
  interval: number;
  passes: number;
  fails: number;
  uri?: string;
  /** Name of a ProxyHCExpr. */
  expr?: string;
}

/**
 * Worker parameters (the `key=value` words of ProxyPass, BalancerMember, ProxySet, <Proxy …>).
 * Times are in microseconds, as httpd stores them; undefined means "not set" (inherit/default).
 */
export interface WorkerParams {
  /** loadfactor × 100 (`loadfactor=2.25` → 225); default 100. */
  lbfactor: number;
  retry?: number;
  ttl?: number;
  min?: number;
  max?: number;
  smax?: number;
  acquire?: number;
  timeout?: number;
  connectionTimeout?: number;
  ping?: number;
  ioBufferSize?: number;
  receiveBufferSize?: number;
  keepalive?: boolean;
  disableReuse?: boolean;
  route?: string;
  redirect?: string;
  flushPackets: 'on' | 'off' | 'auto';
  /** Microseconds, default 10 ms. */
  flushWait: number;
  lbset: number;
  flusher?: string;
  /** `*` for ANY. */
  upgrade?: string;
  responseFieldSize?: number;
  secret?: string;
  /** Seconds; -1 = resolve once. */
  addressTtl?: number;
  /** Replaced, never changed in place: workers share the common sets (see params.ts). */
  status: ReadonlySet<StatusFlag>;
  /** Replaced, never changed in place: workers share the default (see params.ts). */
  hc: Readonly<HealthCheck>;
}

/** One `key=value` as written, kept for diagnostics. */
export interface ParamWord {
  key: string;
  value: string;
}

export interface WorkerDef {
  /** Normalised name (httpd's name_ex): scheme and host lower-cased, default port dropped. */
  name: string;
  /** `unix:/path|` + name for Unix-socket workers (ap_proxy_worker_name), else the name. */
  displayName: string;
  /** The URL as written. */
  url: string;
  scheme: string;
  hostname: string;
  /** Effective port (the scheme's default when none was given). */
  port: number;
  path: string;
  udsPath?: string;
  /** A ProxyPassMatch / <ProxyMatch> worker: `$n` in the name are wildcards (httpd's is_name_matchable). */
  isMatch: boolean;
  /** Name of the balancer this worker is a member of. */
  balancer?: string;
  params: WorkerParams;
  /** Keys set explicitly, lower-cased, in order. */
  set: readonly string[];
  /** ProxyTimeout / ProxyIOBufferSize / ProxyReceiveBufferSize copied in at definition (PROXY_COPY_CONF_PARAMS). */
  /** Replaced, never changed in place (new workers share an empty record). */
  fromServer: Readonly<{ timeout?: number; ioBufferSize?: number; receiveBufferSize?: number }>;
  loc: Loc;
  /** Later lines that reused this worker (worker sharing) and the parameters they lost. */
  sharedBy: readonly { loc: Loc; url: string; directive: string; ignored: ParamWord[] }[];
}

export interface StickySession {
  /** Cookie name (text before `|`). */
  cookie: string;
  /** URL parameter name (text after `|`, or the same name). */
  path: string;
}

export interface BalancerParams {
  lbmethod: string;
  lbmethodSet: boolean;
  sticky?: StickySession;
  /** Separator between session id and route, '' = Off; default '.'. */
  stickySeparator: string;
  stickySeparatorSet: boolean;
  nofailover?: boolean;
  /** Microseconds. */
  timeout?: number;
  maxattempts?: number;
  scolonpathdelim?: boolean;
  failonstatus: number[];
  failontimeout?: boolean;
  /** undefined = random; '' = None. */
  nonce?: string;
  growth?: number;
  forcerecovery: boolean;
  forcerecoverySet: boolean;
}

export interface BalancerDef {
  /** `balancer://name`, lower-cased, without path. */
  name: string;
  members: WorkerDef[];
  params: BalancerParams;
  /** Front-end path/host from the ProxyPass that uses it (httpd's vpath/vhost). */
  vpath?: string;
  vhost?: string;
  loc: Loc;
}

export interface PassFlags {
  nocanon: boolean;
  interpolate: boolean;
  noquery: boolean;
  mapping?: 'encoded' | 'servlet';
}

/** One ProxyPass / ProxyPassMatch (httpd's struct proxy_alias). */
export interface PassRule {
  kind: 'prefix' | 'regex';
  /** The local path or pattern (the Location's path for a Location-scoped rule). */
  path: string;
  regex?: RegExp;
  /** Target URL without any `unix:…|` part; '!' for an exclusion. */
  url: string;
  /** The URL as written. */
  rawUrl: string;
  /** Shared between rules with the same flags: never changed after the rule is made. */
  flags: Readonly<PassFlags>;
  worker?: WorkerDef;
  balancer?: BalancerDef;
  directive: 'ProxyPass' | 'ProxyPassMatch';
  /** Set when the rule came from inside a <Location>/<Proxy>: the section's kind. */
  section?: string;
  loc: Loc;
}

/** ProxyPassReverse / ProxyPassReverseCookiePath / …Domain entries. */
export interface ReverseMap {
  path: string;
  url: string;
  interpolate: boolean;
  loc: Loc;
}

export interface ProxySection {
  kind: 'proxy' | 'proxymatch';
  /** Pattern with any `proxy:` prefix removed. */
  pattern: string;
  isWildcard: boolean;
  regex?: RegExp;
  /** Named groups of a <ProxyMatch> (env MATCH_<NAME>). */
  matchNames: string[];
  dirConfigs: ConfigSet;
  loc: Loc;
}

export interface RemoteProxy {
  /** `*`, a scheme (lower-cased), a URL prefix, or a regex source. */
  match: string;
  regex?: RegExp;
  protocol: string;
  hostname: string;
  port: number;
  /** `Basic …` value of Proxy-Authorization. */
  auth?: string;
  loc: Loc;
}

export type NoProxyEntry =
  | { kind: 'ip'; name: string; addr: number; mask: number }
  | { kind: 'domain'; name: string }
  /** A host name if it resolves at start-up, else a word (substring); resolved lazily at run time. */
  | { kind: 'host'; name: string };

export interface ProxyServerConfig {
  aliases: PassRule[];
  sections: ProxySection[];
  workers: WorkerDef[];
  balancers: BalancerDef[];
  remotes: RemoteProxy[];
  /** ProxyBlock words as written, de-duplicated case-insensitively. */
  block: string[];
  noProxy: NoProxyEntry[];
  domain?: string;
  req?: boolean;
  via?: 'off' | 'on' | 'full' | 'block';
  /** Microseconds. */
  timeout?: number;
  maxForwards?: number;
  badHeader?: 'IsError' | 'Ignore' | 'StartBody';
  receiveBufferSize?: number;
  ioBufferSize?: number;
  status?: 'off' | 'on' | 'full';
  sourceAddress?: string;
  balancerGrowth?: number;
  balancerPersist: boolean;
  balancerInherit?: boolean;
  passInherit?: boolean;
  mapEncodedOne: boolean;
  mapEncodedAll: boolean;
}

export interface ProxyDirConfig {
  /** The ProxyPass of a <Location>/<Proxy> (one per context; the last one wins). */
  alias?: PassRule;
  reverse: ReverseMap[];
  cookiePaths: ReverseMap[];
  cookieDomains: ReverseMap[];
  preserveHost?: boolean;
  addHeaders?: boolean;
  errorOverride?: boolean;
  /** Sorted. */
  errorOverrideCodes: number[];
  interpolateEnv?: boolean;
  continue100?: boolean;
}

export function createProxyServerConfig(): ProxyServerConfig {
  return {
    aliases: [], sections: [], workers: [], balancers: [], remotes: [], block: [], noProxy: [],
    balancerPersist: false, mapEncodedOne: false, mapEncodedAll: true,
  };
}

export function createProxyDirConfig(): ProxyDirConfig {
  return { reverse: [], cookiePaths: [], cookieDomains: [], errorOverrideCodes: [] };
}

/** httpd's merge_proxy_config: main-server lists first, then the vhost's. */
export function mergeProxyServerConfig(base: ProxyServerConfig, add: ProxyServerConfig): ProxyServerConfig {
  const inherit = add.balancerInherit ?? base.balancerInherit ?? true;
  const ppinherit = add.passInherit ?? base.passInherit ?? true;
  const pick = <T>(a: T | undefined, b: T | undefined): T | undefined => (a !== undefined ? a : b);
  return {
    aliases: [...base.aliases, ...add.aliases],
    sections: [...base.sections, ...add.sections],
    workers: inherit || ppinherit ? [...base.workers, ...add.workers] : [...add.workers],
    balancers: inherit || ppinherit ? mergeBalancers(base.balancers, add.balancers) : [...add.balancers],
    remotes: ppinherit ? [...base.remotes, ...add.remotes] : [...add.remotes],
    block: [...base.block, ...add.block],
    noProxy: [...base.noProxy, ...add.noProxy],
    domain: pick(add.domain, base.domain),
    req: pick(add.req, base.req),
    via: pick(add.via, base.via),
    timeout: pick(add.timeout, base.timeout),
    maxForwards: pick(add.maxForwards, base.maxForwards),
    badHeader: pick(add.badHeader, base.badHeader),
    receiveBufferSize: pick(add.receiveBufferSize, base.receiveBufferSize),
    ioBufferSize: pick(add.ioBufferSize, base.ioBufferSize),
    status: pick(add.status, base.status),
    sourceAddress: pick(add.sourceAddress, base.sourceAddress),
    balancerGrowth: pick(add.balancerGrowth, base.balancerGrowth),
    balancerPersist: add.balancerPersist,
    balancerInherit: pick(add.balancerInherit, base.balancerInherit),
    passInherit: pick(add.passInherit, base.passInherit),
    mapEncodedOne: add.mapEncodedOne || base.mapEncodedOne,
    mapEncodedAll: add.mapEncodedAll && base.mapEncodedAll,
  };
}

/**
 * httpd's merge_balancers: a balancer defined in both keeps the vhost's members and the
 * vhost's settings, filling unset ones from the main server's; the others are appended.
 */
function mergeBalancers(base: BalancerDef[], add: BalancerDef[]): BalancerDef[] {
  const out: BalancerDef[] = [];
  const merged = add.map((b) => b);
  for (const b1 of base) {
    const i = merged.findIndex((b2) => b2.name === b1.name);
    if (i < 0) {
      out.push(b1);
      continue;
    }
    const b2 = merged[i];
    const p1 = b1.params;
    const p2 = b2.params;
    merged[i] = {
      ...b2,
      params: {
        ...p2,
        sticky: p2.sticky ?? p1.sticky,
        stickySeparator: !p2.stickySeparatorSet && p1.stickySeparatorSet ? p1.stickySeparator : p2.stickySeparator,
        stickySeparatorSet: p2.stickySeparatorSet || p1.stickySeparatorSet,
        timeout: p2.timeout ?? p1.timeout,
        maxattempts: p2.maxattempts ?? p1.maxattempts,
        nonce: p2.nonce ?? p1.nonce,
        nofailover: p2.nofailover ?? p1.nofailover,
        scolonpathdelim: p2.scolonpathdelim ?? p1.scolonpathdelim,
        forcerecovery: !p2.forcerecoverySet && p1.forcerecoverySet ? p1.forcerecovery : p2.forcerecovery,
        forcerecoverySet: p2.forcerecoverySet || p1.forcerecoverySet,
        lbmethod: p2.lbmethodSet ? p2.lbmethod : p1.lbmethod,
        lbmethodSet: p2.lbmethodSet || p1.lbmethodSet,
        growth: p2.growth ?? p1.growth,
        failontimeout: p2.failontimeout ?? p1.failontimeout,
        failonstatus: p2.failonstatus.length ? [...p2.failonstatus, ...p1.failonstatus] : p1.failonstatus,
      },
    };
  }
  return [...out, ...merged];
}

/** httpd's merge_proxy_dir_config (a more specific context over a less specific one). */
export function mergeProxyDirConfig(base: ProxyDirConfig, add: ProxyDirConfig): ProxyDirConfig {
  const codes = [...base.errorOverrideCodes, ...add.errorOverrideCodes];
  if (base.errorOverrideCodes.length && add.errorOverrideCodes.length) codes.sort((a, b) => a - b);
  return {
    alias: add.alias ?? base.alias,
    reverse: [...base.reverse, ...add.reverse],
    cookiePaths: [...base.cookiePaths, ...add.cookiePaths],
    cookieDomains: [...base.cookieDomains, ...add.cookieDomains],
    preserveHost: add.preserveHost ?? base.preserveHost,
    addHeaders: add.addHeaders ?? base.addHeaders,
    errorOverride: add.errorOverride ?? base.errorOverride,
    errorOverrideCodes: codes,
    interpolateEnv: add.interpolateEnv ?? base.interpolateEnv,
    continue100: add.continue100 ?? base.continue100,
  };
}

/** The module object last found for each id: records of every server are keyed by the same one. */
const lastFound = new Map<string, ModuleDef>();

function findModule(set: ConfigSet, id: string): ModuleDef | undefined {
  const known = lastFound.get(id);
  if (known && set.has(known)) return known;
  for (const m of set.keys()) {
    if (m.id === id) {
      lastFound.set(id, m);
      return m;
    }
  }
  return undefined;
}

/** The proxy record of one server as written in it (not merged with the main server). */
export function proxyServer(server: ServerRec): ProxyServerConfig {
  return findProxyServer(server.configs) ?? createProxyServerConfig();
}

/** The proxy record of a server's config set (a compiled server's merged one), if it has one. */
export function findProxyServer(set: ConfigSet): ProxyServerConfig | undefined {
  const m = findModule(set, PROXY_MODULE_ID);
  return m ? (set.get(m) as ProxyServerConfig) : undefined;
}

/** Whether a per-directory config set has a proxy record of its own. */
export function hasProxyDir(set: ConfigSet): boolean {
  return findModule(set, PROXY_MODULE_ID) !== undefined;
}

/** The proxy record of a per-directory config set (a <Location>, a <Proxy>, or a server's defaults). */
export function proxyDir(set: ConfigSet): ProxyDirConfig {
  const m = findModule(set, PROXY_MODULE_ID);
  return m ? (set.get(m) as ProxyDirConfig) : createProxyDirConfig();
}

/** The proxy module's server record for the server a directive is in. */
export function serverConf(cmd: Cmd): ProxyServerConfig {
  const m = cmd.state.registry.moduleById(PROXY_MODULE_ID);
  // Only proxy handlers call this, and they are registered with proxy_module.
  return m ? cmd.serverConfig(m as ModuleDef<ProxyServerConfig, unknown>) : createProxyServerConfig();
}

/** The proxy module's per-directory record for the context a directive is in. */
export function dirConf(cmd: Cmd): ProxyDirConfig {
  const m = cmd.state.registry.moduleById(PROXY_MODULE_ID);
  return m ? cmd.dirConfig(m as ModuleDef<unknown, ProxyDirConfig>) : createProxyDirConfig();
}

/** Whether a module is loaded in the configuration being walked. */
export function isLoaded(cmd: Cmd, id: string): boolean {
  return cmd.state.tree.loadedModules.includes(id) || cmd.state.registry.moduleById(id)?.builtin === true;
}
