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

/**
 * httpd's location walk (and, with `proxySections`, the merge of proxy_walk before it): merges
 * the server's defaults, the given `<Proxy>` sections and every `<Location>` matching `uri`,
 * in that order. Named regex groups become `MATCH_<NAME>` in `env`.
 */
export function walkDir(server: CompiledServer, uri: string, proxySections: readonly CompiledSection[], env?: Map<string, string>): ConfigSet {
  const hits: number[] = [];
  server.locations.forEach((sec, i) => {
    const m = sec.match(uri);
    if (!m) return;
    hits.push(i);
    if (env && sec.groupNames.length && 'groups' in m && m.groups) {
      for (const name of sec.groupNames) {
        const v = m.groups[name];
        if (v !== undefined) env.set(`MATCH_${name.toUpperCase()}`, v);
      }
    }
  });
  if (hits.length === 0 && proxySections.length === 0) return server.dirDefaults;
  let cache = caches.get(server);
  if (!cache) {
    cache = new Map();
    caches.set(server, cache);
  }
  const key = `${proxySections.map((s) => s.loc.file + ':' + s.loc.line + ':' + s.loc.column).join(',')}|${hits.join(',')}`;
  const have = cache.get(key);
  if (have) return have;
  let dir = server.dirDefaults;
  for (const s of proxySections) dir = mergeDirSets(dir, s.dirConfigs);
  for (const i of hits) dir = mergeDirSets(dir, server.locations[i].dirConfigs);
  if (cache.size < 10_000) cache.set(key, dir);
  return dir;
}
