/**
 * apr_uri_parse / apr_uri_unparse as httpd's proxy uses them to name workers and balancers.
 * Only the behaviour that decides names and configuration errors is reproduced.
 */

export interface ParsedUri {
  scheme?: string;
  user?: string;
  password?: string;
  hostname?: string;
  portStr?: string;
  port: number;
  path?: string;
  query?: string;
  fragment?: string;
}

const SCHEMES: Record<string, number> = {
  ftp: 21, ssh: 22, telnet: 23, gopher: 70, http: 80, pop: 110, nntp: 119, imap: 143,
  prospero: 191, wais: 210, ldap: 389, https: 443, rtsp: 554, snews: 563, acap: 674,
  nfs: 2049, tip: 3372, sip: 5060,
};

/** apr_uri_port_of_scheme (0 when unknown). */
export function aprPortOfScheme(scheme: string | undefined): number {
  if (!scheme) return 0;
  return SCHEMES[scheme.toLowerCase()] ?? 0;
}

const PROXY_SCHEMES: Record<string, number> = { fcgi: 8000, ajp: 8009, scgi: 4000, h2c: 80, h2: 443, ws: 80, wss: 443 };

/** ap_proxy_port_of_scheme: the proxy's own defaults first, then APR's table. */
export function proxyPortOfScheme(scheme: string | undefined): number {
  if (!scheme) return 0;
  return PROXY_SCHEMES[scheme.toLowerCase()] ?? aprPortOfScheme(scheme);
}

/** apr_uri_parse: undefined when APR reports an error. */
export function parseUri(uri: string): ParsedUri | undefined {
  const out: ParsedUri = { port: 0 };
  let s = 0;
  let rest = uri;
  const colon = schemeEnd(uri);
  if (uri.startsWith('//') && uri[2] !== '/') {
    s = 2;
  } else if (colon >= 0) {
    out.scheme = uri.slice(0, colon);
    const after = colon + 1;
    if (uri.slice(after, after + 2) !== '//') {
      setPath(out, uri.slice(after));
      return out;
    }
    s = after + 2;
  } else {
    // RFC 3986 3.3, as APR checks it: without a scheme or an authority, the first segment of a
    // relative path must not contain ':' (so `^http://…` or `h_p://…` is an error, not a path).
    if (uri[0] !== '/') {
      const slash = uri.indexOf('/');
      if ((slash < 0 ? uri : uri.slice(0, slash)).includes(':')) return undefined;
    }
    setPath(out, uri);
    return out;
  }
  let e = s;
  while (e < uri.length) {
    const c = uri.charCodeAt(e);
    if (c === 47 || c === 63 || c === 35) break; // '/', '?', '#'
    e++;
  }
  let hostinfo = uri.slice(s, e);
  rest = uri.slice(e);
  const at = hostinfo.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = hostinfo.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      out.user = userinfo.slice(0, colon);
      out.password = userinfo.slice(colon + 1);
    } else {
      out.user = userinfo;
    }
    hostinfo = hostinfo.slice(at + 1);
  }
  let portPart: string | undefined;
  if (hostinfo.startsWith('[')) {
    const close = hostinfo.indexOf(']');
    if (close < 0) return undefined;
    out.hostname = hostinfo.slice(1, close);
    if (hostinfo[close + 1] === ':') portPart = hostinfo.slice(close + 2);
  } else {
    const colon = hostinfo.indexOf(':');
    if (colon < 0) out.hostname = hostinfo;
    else {
      out.hostname = hostinfo.slice(0, colon);
      portPart = hostinfo.slice(colon + 1);
    }
  }
  if (portPart !== undefined) {
    out.portStr = portPart;
    if (portPart !== '') {
      if (portPart.length <= 15 && isDigits(portPart)) {
        // The value is exact in a double: apr_port_t keeps its low 16 bits.
        out.port = parseInt(portPart, 10) % 65536;
      } else {
        if (!/^[+-]?\d+$/.test(portPart.trimStart())) return undefined;
        out.port = Number(BigInt.asUintN(16, BigInt(parseInt(portPart, 10))));
      }
    } else {
      out.port = aprPortOfScheme(out.scheme);
    }
  }
  setPath(out, rest);
  return out;
}

/** The index of the `:` that ends a scheme at the start of `uri` (`^[A-Za-z][A-Za-z0-9+.-]*:`), or -1. */
function schemeEnd(uri: string): number {
  const n = uri.length;
  if (n === 0 || !isAlpha(uri.charCodeAt(0))) return -1;
  for (let i = 1; i < n; i++) {
    const c = uri.charCodeAt(i);
    if (c === 58) return i;
    // letters, digits, '+', '.', '-'
    if (!(isAlpha(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45)) return -1;
  }
  return -1;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether `s` is one or more ASCII digits. */
function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function setPath(out: ParsedUri, rest: string): void {
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    out.fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    out.query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  if (rest !== '') out.path = rest;
}

/** apr_uri_unparse with APR_URI_UNP_REVEALPASSWORD. */
export function unparseUri(u: ParsedUri): string {
  let ret = '';
  if (u.user !== undefined || u.password !== undefined) {
    ret = `${u.user ?? ''}${u.password !== undefined ? `:${u.password}` : ''}@`;
  }
  if (u.hostname !== undefined) {
    const v6 = u.hostname.includes(':');
    const isDefault = u.portStr === undefined || u.port === 0 || u.port === aprPortOfScheme(u.scheme);
    ret = `//${ret}${v6 ? '[' : ''}${u.hostname}${v6 ? ']' : ''}${isDefault ? '' : `:${u.portStr}`}`;
  }
  if (u.scheme !== undefined) ret = `${u.scheme}:${ret}`;
  ret += u.path ?? '';
  if (u.query !== undefined) ret += `?${u.query}`;
  if (u.fragment !== undefined) ret += `#${u.fragment}`;
  return ret;
}
