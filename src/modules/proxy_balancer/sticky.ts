/**
 * Sticky sessions (mod_proxy_balancer.c: get_path_param, get_cookie_param, find_route_worker,
 * find_session_route).
 */
import { isStandby, isUsable, retryMember, type BalancerState, type MemberState } from './state.js';

/**
 * get_path_param: the value after `name=` anywhere in the URL, up to the next `?` or `&` (and
 * `;` with scolonpathdelim). An empty value is no value.
 */
export function getPathParam(url: string, name: string, scolonSep: boolean): string | undefined {
  if (name === '') return undefined;
  const delims = scolonSep ? /[;?&]/ : /[?&]/;
  for (let at = url.indexOf(name); at >= 0; at = url.indexOf(name, at + 1)) {
    const p = at + name.length;
    if (url[p] !== '=') continue;
    const rest = url.slice(p + 1);
    if (rest === '') continue;
    // apr_strtok skips leading delimiters.
    const tokens = rest.split(delims).filter((t) => t !== '');
    if (tokens.length > 0) return tokens[0];
    return undefined;
  }
  return undefined;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /[ \t\n\v\f\r]/.test(c);

/**
 * get_cookie_param: `name` at the start of the Cookie header or after `;`, `,` or white space,
 * optional white space, `=`, and a value up to `;` or `,`.
 */
export function getCookieParam(cookies: string | undefined, name: string): string | undefined {
  if (cookies === undefined || name === '') return undefined;
  for (let at = cookies.indexOf(name); at >= 0; at = cookies.indexOf(name, at + 1)) {
    const before = at === 0 ? undefined : cookies[at - 1];
    if (!(at === 0 || before === ';' || before === ',' || isSpace(before))) continue;
    let p = at + name.length;
    while (p < cookies.length && isSpace(cookies[p])) p++;
    if (cookies[p] !== '=') continue;
    p++;
    if (p >= cookies.length) continue;
    const value = cookies.slice(p);
    return value.split(';')[0].split(',')[0];
  }
  return undefined;
}

/**
 * find_route_worker: the first non-standby member with that route, then the first standby one.
 * An unusable one gets a retry; still unusable, its `redirect=` route is followed (at most as
 * many hops as there are members).
 */
export function findRouteMember(b: BalancerState, route: string, recursion = 1): MemberState | undefined {
  for (const standby of [false, true]) {
    for (const m of b.members) {
      if (isStandby(m) !== standby) continue;
      if (m.route === '' || m.route !== route) continue;
      if (isUsable(m)) return m;
      retryMember(m);
      if (isUsable(m)) return m;
      if (m.redirect !== '' && recursion < b.members.length) {
        const r = findRouteMember(b, m.redirect, recursion + 1);
        if (r && !isUsable(r)) retryMember(r);
        if (r && isUsable(r)) return r;
      }
    }
  }
  return undefined;
}

export interface SessionRoute {
  /** The member the route chose, if any. */
  member?: MemberState;
  /** The route asked for (text after the separator). */
  route?: string;
  /** Which name carried it: the URL parameter or the cookie name. */
  sticky?: string;
  /** BALANCER_ROUTE_CHANGED: the member's route differs from the one asked for. */
  changed: boolean;
}

/** find_session_route: the URL parameter first, then the cookie. */
export function findSessionRoute(b: BalancerState, url: string, cookies: string | undefined): SessionRoute {
  if (b.sticky === '') return { changed: false };
  let value = getPathParam(url, b.stickyPath, b.scolonSep);
  let sticky: string | undefined;
  if (value !== undefined) sticky = b.stickyPath;
  else {
    value = getCookieParam(cookies, b.sticky);
    if (value !== undefined) sticky = b.sticky;
  }
  let route: string | undefined = value;
  if (route !== undefined && b.stickySeparator !== '') {
    const i = route.indexOf(b.stickySeparator);
    route = i < 0 ? undefined : route.slice(i + 1);
  }
  if (route === undefined || route === '') return { changed: false, ...(route !== undefined ? { route, sticky } : {}) };
  const member = findRouteMember(b, route);
  return { member, route, sticky, changed: member !== undefined && member.route !== route };
}
