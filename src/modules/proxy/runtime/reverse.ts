/**
 * ProxyPassReverse and ProxyPassReverseCookiePath/-Domain applied to backend response headers
 * (`ap_proxy_location_reverse_map`, `ap_proxy_cookie_reverse_map`; notes/proxy-semantics.md
 * §7.1–7.2).
 */

/** One `ProxyPassReverse public-path backend-url` entry. */
export interface ReverseAlias {
  /** The public path (first argument, or the `<Location>` path). */
  path: string;
  /** The backend URL or path-only prefix (second argument). */
  url: string;
  /**
   * For `balancer://name[/sub]` URLs: the normalised member URLs (`name_ex`) in member order.
   * The compiler fills this in; without it a balancer entry is compared as a plain string.
   */
  members?: readonly string[];
}

/** One `ProxyPassReverseCookiePath internal public` (or `…CookieDomain`) entry. */
export interface CookieAlias {
  internal: string;
  public: string;
}

/** The server name and port a relative result is made absolute with (`ap_construct_url`). */
export interface UrlBase {
  /** `http` or `https` (the scheme clients use to reach featherd). */
  scheme: string;
  /** Server name per UseCanonicalName (Off: the client's Host without port). */
  hostname: string;
  /** Server port per UseCanonicalName (Off: the connection's local port). */
  port: number;
}

export interface ReverseRules {
  aliases: readonly ReverseAlias[];
  cookiePaths: readonly CookieAlias[];
  cookieDomains: readonly CookieAlias[];
}

function isUrl(u: string): boolean {
  // ap_is_url: a scheme of letters, digits, '+', '-', '.' followed by ':'.
  return /^[A-Za-z0-9+.-]+:/.test(u);
}

/** `ap_construct_url`: `scheme://host[:port]` + path; the port is left out when it is the scheme's default. */
export function constructUrl(path: string, base: UrlBase): string {
  const def = base.scheme === 'https' ? 443 : 80;
  const host = base.hostname.includes(':') && !base.hostname.startsWith('[') ? `[${base.hostname}]` : base.hostname;
  return `${base.scheme}://${host}${base.port === def || base.port === 0 ? '' : `:${base.port}`}${path}`;
}

function finish(u: string, base: UrlBase): string {
  return isUrl(u) ? u : constructUrl(u, base);
}

const startsWithCI = (s: string, prefix: string): boolean =>
  s.length >= prefix.length && s.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase();

/** `ap_proxy_location_reverse_map` for one header value. First matching entry wins. */
export function reverseMapUrl(value: string, aliases: readonly ReverseAlias[], base: UrlBase): string {
  for (const ent of aliases) {
    const real = ent.url;
    if (ent.members && /^balancer:\/\//i.test(real)) {
      const slash = real.indexOf('/', 'balancer://'.length);
      let urlpart: string | null = slash >= 0 ? real.slice(slash) : null;
      if (urlpart === '/') urlpart = null;
      for (const name of ent.members) {
        let l2 = name.length;
        if (urlpart !== null) {
          if (name.endsWith('/')) l2--;
          if (
            value.length >= l2 + urlpart.length &&
            startsWithCI(value, name.slice(0, l2)) &&
            value.slice(l2, l2 + urlpart.length) === urlpart
          ) {
            return finish(ent.path + value.slice(l2 + urlpart.length), base);
          }
        } else if (startsWithCI(value, name)) {
          const rest = value.slice(l2);
          const u = ent.path === '/' && rest.startsWith('/') ? rest : ent.path + rest;
          return finish(u, base);
        }
      }
      continue;
    }
    let part = value;
    if (real.startsWith('/')) {
      const sep = value.indexOf('://');
      if (sep >= 0) {
        const p = value.indexOf('/', sep + 3);
        if (p >= 0) part = value.slice(p);
      }
    }
    if (real.length > 0 && startsWithCI(part, real)) {
      return finish(ent.path + part.slice(real.length), base);
    }
  }
  return value;
}

/**
 * `ap_proxy_cookie_reverse_map` for one Set-Cookie value: the first `path=` / `domain=` attribute
 * whose value starts with an entry's internal value (path case-sensitive, domain
 * case-insensitive) gets its whole value replaced by the public one; everything else is kept.
 */
export function reverseMapCookie(value: string, paths: readonly CookieAlias[], domains: readonly CookieAlias[]): string {
  if (paths.length === 0 && domains.length === 0) return value;
  const parts = value.split(';');
  let pathDone = false;
  let domainDone = false;
  for (let i = 0; i < parts.length; i++) {
    const seg = parts[i];
    const lead = /^\s*/.exec(seg)![0];
    const token = seg.slice(lead.length);
    const lower = token.toLowerCase();
    if (!pathDone && lower.startsWith('path=')) {
      const v = token.slice(5);
      const hit = paths.find((e) => v.startsWith(e.internal));
      if (hit) {
        parts[i] = lead + token.slice(0, 5) + hit.public;
        pathDone = true;
      }
    } else if (!domainDone && lower.startsWith('domain=')) {
      const v = token.slice(7);
      const hit = domains.find((e) => startsWithCI(v, e.internal));
      if (hit) {
        parts[i] = lead + token.slice(0, 7) + hit.public;
        domainDone = true;
      }
    }
  }
  return parts.join(';');
}

/** Headers whose value is a URL mapped by ProxyPassReverse (on every response). */
export const REVERSE_MAPPED_HEADERS = ['location', 'content-location', 'uri', 'destination'] as const;
