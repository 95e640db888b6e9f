/**
 * Matchers for per-directory sections, built once at load:
 *  - `<Location>`: httpd's ap_location_walk — a regex (`<LocationMatch>`, `<Location ~>`) is
 *    searched in `r->uri`; a wildcard path is matched with apr_fnmatch(APR_FNM_PATHNAME) (`*`
 *    does not cross `/`); otherwise a prefix that ends at `/` or at the end of the URI.
 *  - `<Proxy>`: mod_proxy's proxy_walk — a regex search, apr_fnmatch without flags (`*`
 *    crosses `/`), or a case-sensitive prefix of the target URL.
 */
import { fnmatch, hasWildcard } from '../../config/fnmatch.js';
import type { CoreSection } from '../../modules/core/config.js';
import type { ProxySection } from '../../modules/proxy/config.js';
import type { CompiledSection } from './types.js';

const NO_GROUPS: readonly string[] = [];

/** A shell wildcard with APR_FNM_PATHNAME semantics as a regex: `*`, `?` and classes stay within a segment. */
export function pathnameWildcard(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < pattern.length) out += escapeRe(pattern[++i]);
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `(?!/)[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else out += escapeRe(c);
  }
  return new RegExp(`^${out}$`, 's');
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** `<Location>` / `<LocationMatch>` of the core module. */
export function compileLocation(sec: CoreSection): CompiledSection | undefined {
  if (sec.kind !== 'location' && sec.kind !== 'locationmatch') return undefined;
  const base = { path: sec.path, groupNames: sec.groupNames ?? [], dirConfigs: sec.dirConfigs, loc: sec.loc };
  if (sec.regex) {
    const re = sec.regex;
    return { ...base, kind: 'locationmatch', match: (uri) => (re.lastIndex = 0, re.exec(uri)) };
  }
  const p = sec.path;
  if (sec.isFnmatch) {
    const re = pathnameWildcard(p);
    return { ...base, kind: 'location', match: (uri) => (re.test(uri) ? NO_GROUPS : null) };
  }
  const len = p.length;
  return {
    ...base,
    kind: 'location',
    match: (uri) => {
      if (!uri.startsWith(p)) return null;
      if (len > 0 && p[len - 1] !== '/' && uri.length > len && uri[len] !== '/') return null;
      return NO_GROUPS;
    },
  };
}

/** `<Proxy>` / `<ProxyMatch>` of mod_proxy. */
export function compileProxySection(sec: ProxySection): CompiledSection {
  const base = { path: sec.pattern, groupNames: sec.matchNames, dirConfigs: sec.dirConfigs, loc: sec.loc };
  if (sec.regex) {
    const re = sec.regex;
    return { ...base, kind: 'proxymatch', match: (url) => (re.lastIndex = 0, re.exec(url)) };
  }
  const p = sec.pattern;
  if (sec.isWildcard || hasWildcard(p)) {
    return { ...base, kind: 'proxy', match: (url) => (fnmatch(p, url) ? NO_GROUPS : null) };
  }
  return { ...base, kind: 'proxy', match: (url) => (url.startsWith(p) ? NO_GROUPS : null) };
}
