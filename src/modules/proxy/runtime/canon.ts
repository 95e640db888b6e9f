/**
 * Request-URI handling before ProxyPass matching (httpd's `ap_parse_uri`, `ap_normalize_path`,
 * `ap_unescape_url_ex`) and canonicalisation of the target URL (`proxy_http_canon`,
 * `ap_proxy_canon_netloc`, `ap_proxy_canonenc_ex`); notes/proxy-semantics.md §1 and §3.
 *
 * Paths are byte strings: each character is one octet (code 0–255), as `%XX` decoding
 * produces them. Characters above 0xFF (from a JavaScript string) are treated as their UTF-8
 * bytes when encoding.
 */
import { httpError, type HttpResult } from '../../../runtime/http-error.js';

export type EncodedSlashes = 'off' | 'on' | 'nodecode';

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

/** The parts of a request-target (`r->unparsed_uri`, `r->parsed_uri`). */
export interface RequestTarget {
  /** The request-target as received. */
  unparsed: string;
  /** Path part, still encoded (`/` when an absolute URI has none; `*` for `OPTIONS *`). */
  path: string;
  /** Query string without `?` (`r->args`), or null when there was no `?`. */
  args: string | null;
  /** For an absolute URI: its scheme and host[:port]. */
  scheme?: string;
  hostport?: string;
}

/** Splits a request-target into path and query (`apr_uri_parse` as used by `ap_parse_uri`). */
export function parseRequestTarget(target: string): HttpResult<RequestTarget> {
  let rest = target;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  if (rest === '*') return { ok: true, value: { unparsed: target, path: '*', args: null } };
  let scheme: string | undefined;
  let hostport: string | undefined;
  const abs = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?]*)/.exec(rest);
  if (abs) {
    scheme = abs[1].toLowerCase();
    hostport = abs[2];
    rest = rest.slice(abs[0].length);
    if (rest === '' || rest.startsWith('?')) rest = '/' + rest;
  } else if (!rest.startsWith('/')) {
    return { ok: false, error: httpError(400, `AH10244: invalid URI path (${target})`) };
  }
  const q = rest.indexOf('?');
  const path = q >= 0 ? rest.slice(0, q) : rest;
  const args = q >= 0 ? rest.slice(q + 1) : null;
  return {
    ok: true,
    value: { unparsed: target, path, args, ...(scheme ? { scheme } : {}), ...(hostport !== undefined ? { hostport } : {}) },
  };
}

export interface NormalizeOptions {
  /** Decode %XX of unreserved characters (first pass only). */
  decodeUnreserved?: boolean;
  /** `MergeSlashes On` (the default). */
  mergeSlashes?: boolean;
  /** Fail on `/../` above the root. */
  notAboveRoot?: boolean;
}

/**
 * `ap_normalize_path`: decode unreserved %XX, remove `/./`, resolve `/../`, merge slashes.
 * `ok` is false for an invalid %-escape or (with notAboveRoot) `..` above the root; the path
 * is still normalised as far as httpd would have got.
 */
export function normalizePath(input: string, opts: NormalizeOptions = {}): { ok: boolean; path: string } {
  let ok = true;
  let path = input;
  if (!path.startsWith('/')) {
    if (path === '*') return { ok: true, path };
    return { ok: false, path };
  }
  if (opts.decodeUnreserved) {
    let out = '';
    for (let i = 0; i < path.length; i++) {
      const c = path[i];
      if (c === '%') {
        if (isHex(path[i + 1]) && isHex(path[i + 2])) {
          const d = String.fromCharCode(parseInt(path.slice(i + 1, i + 3), 16));
          if (UNRESERVED.test(d)) {
            out += d;
            i += 2;
            continue;
          }
        } else {
          ok = false;
        }
      }
      out += c;
    }
    path = out;
  }
  const w: string[] = ['/'];
  let l = 1;
  const isSlashOrEnd = (i: number): boolean => i >= path.length || path[i] === '/';
  while (l < path.length) {
    if (w[w.length - 1] === '/') {
      if (opts.mergeSlashes && path[l] === '/') {
        while (l < path.length && path[l] === '/') l++;
        continue;
      }
      if (path[l] === '.') {
        if (isSlashOrEnd(l + 1)) {
          l += l + 1 < path.length ? 2 : 1;
          continue;
        }
        if (path[l + 1] === '.' && isSlashOrEnd(l + 2)) {
          if (w.length > 1) {
            do w.pop();
            while (w.length > 0 && w[w.length - 1] !== '/');
          } else if (opts.notAboveRoot) {
            ok = false;
          }
          l += 2;
          if (l < path.length) l++;
          continue;
        }
      }
    }
    w.push(path[l++]);
  }
  return { ok, path: w.join('') };
}

/**
 * `ap_unescape_url_ex` as the core applies it to `r->uri`: full %-decoding; `%2F` → 404 with
 * AllowEncodedSlashes Off, kept encoded with NoDecode; `%00` → 404; a bad escape → 400.
 */
export function unescapePath(path: string, slashes: EncodedSlashes): HttpResult<string> {
  let out = '';
  let badEsc = false;
  let badPath = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    if (!isHex(path[i + 1]) || !isHex(path[i + 2])) {
      badEsc = true;
      out += '%';
      continue;
    }
    const d = String.fromCharCode(parseInt(path.slice(i + 1, i + 3), 16));
    if (d === '\0' || (d === '/' && slashes === 'off')) {
      badPath = true;
      out += d;
      i += 2;
    } else if (d === '/' && slashes === 'nodecode') {
      out += path.slice(i, i + 3);
      i += 2;
    } else {
      out += d;
      i += 2;
    }
  }
  if (badEsc) return { ok: false, error: httpError(400, `bad %-escape in URI path (${path})`) };
  if (badPath) {
    return {
      ok: false,
      error: httpError(404, `AH00026: found %2f (encoded '/') in URI path (${path}), returning 404`),
    };
  }
  return { ok: true, value: out };
}

/** The request URI in the forms the phases need. */
export interface PreparedUri {
  target: RequestTarget;
  /** `r->uri` after normalisation only (still encoded): what `mapping=encoded` rules see. */
  encodedUri: string;
  /** `r->uri` after full decoding: what other ProxyPass rules and `<Location>` see. */
  uri: string;
}

export interface UriOptions {
  mergeSlashes?: boolean;
  allowEncodedSlashes?: EncodedSlashes;
}

/**
 * The URI steps of `ap_process_request_internal` before translate_name: normalise (400 on a
 * bad escape or `..` above the root), then decode per AllowEncodedSlashes (400/404), then
 * (AllowEncodedSlashes On) normalise again since decoded slashes may form new segments.
 */
export function prepareUri(target: string, opts: UriOptions = {}): HttpResult<PreparedUri> {
  const parsed = parseRequestTarget(target);
  if (!parsed.ok) return parsed;
  const t = parsed.value;
  if (t.path === '*') return { ok: true, value: { target: t, encodedUri: '*', uri: '*' } };
  const merge = opts.mergeSlashes !== false;
  const n = normalizePath(t.path, { decodeUnreserved: true, mergeSlashes: merge, notAboveRoot: true });
  if (!n.ok) return { ok: false, error: httpError(400, `AH10244: invalid URI path (${target})`) };
  const slashes = opts.allowEncodedSlashes ?? 'off';
  const dec = unescapePath(n.path, slashes);
  if (!dec.ok) return dec;
  let uri = dec.value;
  if (slashes === 'on') uri = normalizePath(uri, { mergeSlashes: merge, notAboveRoot: true }).path;
  return { ok: true, value: { target: t, encodedUri: n.path, uri } };
}

const PATH_ALLOWED = "~$-_.+!*'(),;:@&=";

function byteString(s: string): string {
  // Characters above 0xFF cannot come from %-decoding; treat them as their UTF-8 bytes.
  return /[^\x00-\xff]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

function hex2(code: number): string {
  return '%' + code.toString(16).toUpperCase().padStart(2, '0');
}

/**
 * `ap_proxy_canonenc_ex(…, enc_path, flags, PROXYREQ_REVERSE)`: `/` passes through, alphanumerics
 * and ``~$-_.+!*'(),;:@&=`` are kept, everything else becomes `%XX`. With
 * `noEncodedSlashEncoding` (AllowEncodedSlashes NoDecode) a `%2F` stays as written, any other
 * `%XX` becomes `%25XX`, and a `%` without two hex digits fails (null → 400).
 */
export function canonEncPath(input: string, noEncodedSlashEncoding = false): string | null {
  const x = byteString(input);
  let y = '';
  for (let i = 0; i < x.length; i++) {
    const ch = x[i];
    if (ch === '/') {
      y += ch;
      continue;
    }
    if (noEncodedSlashEncoding && ch === '%') {
      if (!isHex(x[i + 1]) || !isHex(x[i + 2])) return null;
      if (parseInt(x.slice(i + 1, i + 3), 16) === 0x2f) {
        y += x.slice(i, i + 3);
        i += 2;
        continue;
      }
    }
    if (/[A-Za-z0-9]/.test(ch) || PATH_ALLOWED.includes(ch)) y += ch;
    else y += hex2(ch.charCodeAt(0));
  }
  return y;
}

/** `ap_scan_vchar_obstext`: true when `s` holds a control character, DEL or a space. */
export function hasCtlOrSpace(s: string): boolean {
  return /[\x00-\x20\x7f]/.test(s);
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };

/** Parsed `scheme://[user[:pass]@]host[:port]` part of a target URL. */
export interface NetLoc {
  scheme: string;
  user?: string;
  host: string;
  /** Explicit or default port. */
  port: number;
  /** True when the URL carried a port. */
  explicitPort: boolean;
}

/**
 * `ap_proxy_canon_netloc` for `//[user[:pass]@]host[:port]`. The host is lowercased. A port
 * part that is not all digits stays part of the host name (httpd then fails the DNS lookup of
 * e.g. `127.0.0.1:19001bar` with 500, observed with `ProxyPass /mis/ http://127.0.0.1:19001`).
 */
export function parseNetloc(scheme: string, rest: string): HttpResult<{ netloc: NetLoc; path: string }> {
  if (!rest.startsWith('//')) return { ok: false, error: httpError(400, 'AH01083: error parsing URL: Malformed URL') };
  const after = rest.slice(2);
  const slash = after.indexOf('/');
  let hostport = slash >= 0 ? after.slice(0, slash) : after;
  const path = slash >= 0 ? after.slice(slash + 1) : '';
  let user: string | undefined;
  const at = hostport.lastIndexOf('@');
  if (at >= 0) {
    user = hostport.slice(0, at);
    hostport = hostport.slice(at + 1);
  }
  const def = DEFAULT_PORTS[scheme] ?? 80;
  let host = hostport;
  let port = def;
  let explicitPort = false;
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0 || hostport.slice(1, close).includes('%')) {
      return { ok: false, error: httpError(400, 'AH01083: error parsing URL: Invalid host/port') };
    }
    host = hostport.slice(1, close);
    const tail = hostport.slice(close + 1);
    if (tail !== '') {
      if (!/^:\d*$/.test(tail)) return { ok: false, error: httpError(400, 'AH01083: error parsing URL: Invalid host/port') };
      if (tail.length > 1) {
        port = Number(tail.slice(1));
        explicitPort = true;
      }
    }
  } else {
    const colon = hostport.lastIndexOf(':');
    if (colon >= 0 && /^\d*$/.test(hostport.slice(colon + 1))) {
      host = hostport.slice(0, colon);
      if (colon + 1 < hostport.length) {
        port = Number(hostport.slice(colon + 1));
        explicitPort = true;
      }
    }
  }
  if (port < 1 || port > 65535) {
    return { ok: false, error: httpError(400, 'AH01083: error parsing URL: Invalid host/port') };
  }
  if (host === '') return { ok: false, error: httpError(400, 'AH01083: error parsing URL: Invalid host/port') };
  return {
    ok: true,
    value: { netloc: { scheme, host: host.toLowerCase(), port, explicitPort, ...(user !== undefined ? { user } : {}) }, path },
  };
}

/** What canonicalisation needs besides the URL (notes set by the matcher, core settings). */
export interface CanonOptions {
  /** note `proxy-nocanon`: the URL's path is raw (and already carries the query). */
  nocanon?: boolean;
  /** note `proxy-noencode` (mapping=encoded): path as is, query appended. */
  noencode?: boolean;
  /** `r->args`: appended verbatim after `?`. */
  args: string | null;
  allowEncodedSlashes?: EncodedSlashes;
}

/** A canonicalised target. */
export interface CanonUrl {
  /** `scheme://host[:port]/path[?query]`, as mod_proxy_http will request it. */
  url: string;
  netloc: NetLoc;
  /** Path and query as sent in the request line (`/…`). */
  pathAndQuery: string;
}

/**
 * `proxy_http_canon` for a reverse-proxy request: http, https, ws, wss. Returns null when the
 * scheme is not one of these (the next canon handler's turn).
 */
export function canonHttpUrl(url: string, opts: CanonOptions): HttpResult<CanonUrl> | null {
  const m = /^(https?|wss?):/i.exec(url);
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  const nl = parseNetloc(scheme, url.slice(m[0].length));
  if (!nl.ok) return { ok: false, error: { ...nl.error, logMessage: nl.error.logMessage.replace('URL:', `URL ${url}:`) } };
  const { netloc, path: rawPath } = nl.value;
  let path: string;
  let search: string | null = null;
  let raw = false;
  if (opts.nocanon) {
    path = rawPath;
    raw = true;
  } else if (opts.noencode) {
    path = rawPath;
    raw = true;
    search = opts.args;
  } else {
    const enc = canonEncPath(rawPath, opts.allowEncodedSlashes === 'nodecode');
    if (enc === null) return { ok: false, error: httpError(400, `bad %-escape in target path (${rawPath})`) };
    path = enc;
    search = opts.args;
  }
  if (raw && hasCtlOrSpace(path)) {
    return { ok: false, error: httpError(403, 'AH10415: To be forwarded path contains control characters or spaces') };
  }
  if (search !== null && hasCtlOrSpace(search)) {
    return {
      ok: false,
      error: httpError(403, 'AH10408: To be forwarded query string contains control characters or spaces'),
    };
  }
  const def = DEFAULT_PORTS[scheme];
  const sport = netloc.port !== def ? `:${netloc.port}` : '';
  const host = netloc.host.includes(':') ? `[${netloc.host}]` : netloc.host;
  const pathAndQuery = '/' + path + (search !== null ? '?' + search : '');
  return { ok: true, value: { url: `${scheme}://${host}${sport}${pathAndQuery}`, netloc, pathAndQuery } };
}
