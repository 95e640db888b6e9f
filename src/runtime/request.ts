/**
 * The request record as the compiled configuration's hooks see it — the one place that says
 * what a request carries (httpd's request_rec, reduced). Two layers:
 *
 * `RequestContext` (server.ts), filled by the server core:
 *   req/res/conn, method, protocol, requestLine, target (the parsed request-target),
 *   uri (`r->uri`, decoded and normalised), encodedUri, args (`r->args`),
 *   env (`r->subprocess_env`: SetEnv, SetEnvIf, the proxy-* variables, MATCH_*),
 *   notes (`r->notes`), filename (`r->filename`, `proxy:<url>` for proxied requests),
 *   handler (`r->handler`, `proxy-server`), user, status, bytesSent, startUs, aborted.
 *
 * `RequestState` (below), kept in `ctx.data` and set by the core module's post_read hook:
 *   config   the configuration generation serving the request (a reload does not move it);
 *   server   the selected (virtual) server;
 *   hostname / hostPort  the validated Host (without / with its port);
 *   dir      the merged per-directory configuration: the server's defaults, then every
 *            matching `<Proxy>` section (once map_to_storage ran), then every matching
 *            `<Location>` section, merged in httpd's order;
 *   proxySections  the `<Proxy>` sections that matched (set by mod_proxy's map_to_storage);
 *   redirect the ErrorDocument internal redirect being served, if any.
 *
 * Modules keep their own per-request data in `ctx.data` under their own symbols.
 */
import type { ConfigSet } from '../directives/types.js';
import type { CompiledConfig, CompiledSection, CompiledServer } from './compile/types.js';
import { mergeDirSets } from './compile/merge.js';
import { coreDir } from '../modules/core/config.js';
import { effectiveLevels, type ErrorLog } from './errorlog.js';
import type { RequestContext } from './server.js';

export interface RequestState {
  config: CompiledConfig;
  server: CompiledServer;
  hostname: string | null;
  hostPort: number | null;
  dir: ConfigSet;
  proxySections: CompiledSection[];
  redirect?: { status: number; fromUri: string };
}

const STATE = Symbol('featherd.request');

export function setRequestState(ctx: RequestContext, s: RequestState): void {
  ctx.data.set(STATE, s);
}

/** The request's state; undefined only before the core module's post_read hook ran. */
export function requestState(ctx: RequestContext): RequestState | undefined {
  return ctx.data.get(STATE) as RequestState | undefined;
}

/** Merged per-dir configs of one server, cached by the set of sections that matched. */
const caches = new WeakMap<CompiledServer, Map<string, ConfigSet>>();
/** The same for the usual case of one matching `<Location>` and no `<Proxy>`: by its index. */
const singleHits = new WeakMap<CompiledServer, (ConfigSet | undefined)[]>();

/**
 * httpd's location walk (and, with `proxySections`, the merge of proxy_walk before it): merges
 * the server's defaults, the given `<Proxy>` sections and every `<Location>` matching `uri`,
 * in that order. Named regex groups become `MATCH_<NAME>` in `env`.
 */
export function walkDir(server: CompiledServer, uri: string, proxySections: readonly CompiledSection[], env?: Map<string, string>): ConfigSet {
  const locations = server.locations;
  let first = -1;
  let hits: number[] | null = null;
  for (let i = 0; i < locations.length; i++) {
    const sec = locations[i];
    const m = sec.match(uri);
    if (!m) continue;
    if (first < 0) first = i;
    else (hits ??= [first]).push(i);
    if (env) setMatchEnv(env, sec, m);
  }
  if (first < 0 && proxySections.length === 0) return server.dirDefaults;
  if (hits === null && proxySections.length === 0) {
    let byIndex = singleHits.get(server);
    if (!byIndex) {
      byIndex = [];
      singleHits.set(server, byIndex);
    }
    return (byIndex[first] ??= mergeDirSets(server.dirDefaults, locations[first].dirConfigs));
  }
  let cache = caches.get(server);
  if (!cache) {
    cache = new Map();
    caches.set(server, cache);
  }
  const all = hits ?? (first < 0 ? [] : [first]);
  const key = `${proxySections.map((s) => s.loc.file + ':' + s.loc.line + ':' + s.loc.column).join(',')}|${all.join(',')}`;
  const have = cache.get(key);
  if (have) return have;
  let dir = server.dirDefaults;
  for (const s of proxySections) dir = mergeDirSets(dir, s.dirConfigs);
  for (const i of all) dir = mergeDirSets(dir, locations[i].dirConfigs);
  if (cache.size < 10_000) cache.set(key, dir);
  return dir;
}

/** Sets `MATCH_<NAME>` in `env` for each named group a matching section's regex captured. */
export function setMatchEnv(env: Map<string, string>, sec: CompiledSection, m: RegExpExecArray | readonly string[]): void {
  if (!sec.groupNames.length || !('groups' in m) || !m.groups) return;
  for (const name of sec.groupNames) {
    const v = m.groups[name];
    if (v !== undefined) env.set(`MATCH_${name.toUpperCase()}`, v);
  }
}

/** True when the client reached this server over TLS. */
function overTls(ctx: RequestContext): boolean {
  return 'encrypted' in ctx.req.socket;
}

/** The scheme's default port for this request (`ap_default_port`): 443 over TLS, else 80. */
export function defaultPort(ctx: RequestContext): number {
  return overTls(ctx) ? 443 : 80;
}

/**
 * `ap_get_server_name`: the ServerName with UseCanonicalName On, else the Host the client asked
 * for (without its port), falling back to the ServerName.
 */
export function serverName(st: RequestState, canonical: 'on' | 'off' | 'dns' | undefined): string {
  if (canonical === 'on') return st.server.name;
  return st.hostname ?? st.server.name;
}

/**
 * `ap_get_server_port`: with UseCanonicalName Off (the default) the port of the client's Host (or
 * absolute URI), else the ServerName's port, else the scheme's default; UseCanonicalPhysicalPort
 * On puts the connection's local port before the ServerName's. With UseCanonicalName On the
 * client's port is not used.
 */
export function serverPort(ctx: RequestContext, st: RequestState, canonical: 'on' | 'off' | 'dns' | undefined, physical: boolean | undefined): number {
  const def = defaultPort(ctx);
  const phys = physical === true ? ctx.conn.localPort : 0;
  if (canonical === 'on') return phys || st.server.port || def;
  return st.hostPort ?? (phys || st.server.port || def);
}

/**
 * The client's header lines as httpd keeps them in `r->headers_in` (ap_get_mime_headers merges
 * with `apr_table_compress`): a repeated header becomes one, at its first place and with its
 * first spelling, the values joined with `, ` (Cookie and Host included).
 */
export function mergeRepeatedHeaders(raw: string[]): string[] {
  if (!hasRepeatedName(raw)) return raw;
  const out: string[] = [];
  const at = new Map<string, number>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const lower = raw[i].toLowerCase();
    const j = at.get(lower);
    if (j === undefined) {
      at.set(lower, out.length);
      out.push(raw[i], raw[i + 1]);
    } else {
      out[j + 1] = `${out[j + 1]}, ${raw[i + 1]}`;
    }
  }
  return out;
}

/**
 * True when a name occurs twice in a flat name/value list (compared without case); also true
 * for lists of more than 16 headers, which mergeRepeatedHeaders then goes through with a Map.
 */
function hasRepeatedName(raw: readonly string[]): boolean {
  const n = raw.length;
  if (n <= 2) return false;
  if (n > 32) return true;
  // Requests carry a few headers: comparing the lengths first leaves few names to lowercase.
  for (let i = 2; i + 1 < n; i += 2) {
    const len = raw[i].length;
    let lower: string | undefined;
    for (let j = 0; j < i; j += 2) {
      if (raw[j].length !== len) continue;
      lower ??= raw[i].toLowerCase();
      if (raw[j].toLowerCase() === lower) return true;
    }
  }
  return false;
}

/** Error logs with a section's LogLevel, by the merged per-directory configs that carry it. */
const dirLogs = new WeakMap<ConfigSet, ErrorLog>();

/**
 * Where a request's messages go (httpd's `r->log`): the server's error log, with the levels of
 * a `LogLevel` inside the `<Location>`/`<Directory>`/`<If>` sections that apply merged over the
 * server's.
 */
export function requestErrorLog(st: RequestState): ErrorLog {
  const dirLevels = coreDir(st.dir).logLevel;
  if (!dirLevels) return st.server.errorLog;
  let log = dirLogs.get(st.dir);
  if (!log) {
    log = st.server.errorLog.withLevels(effectiveLevels(dirLevels, effectiveLevels(st.server.core.logLevel)));
    dirLogs.set(st.dir, log);
  }
  return log;
}
