/**
 * Canonicalisation of the target URL (`proxy_http_canon`, `ap_proxy_canon_netloc`,
 * `ap_proxy_canonenc_ex`; notes/proxy-semantics.md §3). The request-URI steps before matching
 * live in runtime/uri.ts and are re-exported here.
 *
 * Paths are byte strings: each character is one octet (code 0–255), as `%XX` decoding
 * produces them. Characters above 0xFF (from a JavaScript string) are treated as their UTF-8
 * bytes when encoding.
 */
import { httpError, type HttpResult } from '../../../runtime/http-error.js';

export {
  normalizePath,
  parseRequestTarget,
  prepareUri,
  unescapePath,
  type EncodedSlashes,
  type NormalizeOptions,
  type PreparedUri,
  type RequestTarget,
  type UriOptions,
} from '../../../runtime/uri.js';
import type { EncodedSlashes } from '../../../runtime/uri.js';

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

const PATH_ALLOWED = "~$-_.+!*'(),;:@&=";

/** The octets ap_proxy_canonenc_ex keeps in a path: `/`, alphanumerics and PATH_ALLOWED. */
const KEEP = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (ch === '/' || /[A-Za-z0-9]/.test(ch) || PATH_ALLOWED.includes(ch)) KEEP[c] = 1;
}

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
  // Most paths need no encoding: they are returned as they are, without being copied.
  let i = 0;
  while (i < x.length && KEEP[x.charCodeAt(i)] === 1) i++;
  if (i === x.length) return x;
  let y = x.slice(0, i);
  for (; i < x.length; i++) {
    const code = x.charCodeAt(i);
    if (KEEP[code] === 1) {
      y += x[i];
      continue;
    }
    if (noEncodedSlashEncoding && code === 37) {
      if (!isHexCode(x.charCodeAt(i + 1)) || !isHexCode(x.charCodeAt(i + 2))) return null;
      if (parseInt(x.slice(i + 1, i + 3), 16) === 0x2f) {
        y += x.slice(i, i + 3);
        i += 2;
        continue;
      }
    }
    y += hex2(code);
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
  const netloc: NetLoc = { scheme, host: host.toLowerCase(), port, explicitPort };
  if (user !== undefined) netloc.user = user;
  return { ok: true, value: { netloc, path } };
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
  const mm = netlocMemo;
  let scheme: string;
  let netloc: NetLoc;
  let rawPath: string;
  let base: string;
  const at = mm.head.length;
  if (mm.netloc !== null && url.startsWith(mm.head) && (url.length === at || url.charCodeAt(at) === 47)) {
    // The same `scheme://authority` as the last URL: its parse is reused (the NetLoc is shared, never changed).
    scheme = mm.scheme;
    netloc = mm.netloc;
    rawPath = url.length === at ? '' : url.slice(at + 1);
    base = mm.base;
  } else {
    const m = /^(https?|wss?):/i.exec(url);
    if (!m) return null;
    scheme = m[1].toLowerCase();
    const nl = parseNetloc(scheme, url.slice(m[0].length));
    if (!nl.ok) return { ok: false, error: { ...nl.error, logMessage: nl.error.logMessage.replace('URL:', `URL ${url}:`) } };
    netloc = nl.value.netloc;
    rawPath = nl.value.path;
    const sport = netloc.port !== DEFAULT_PORTS[scheme] ? `:${netloc.port}` : '';
    base = `${scheme}://${netloc.host.includes(':') ? `[${netloc.host}]` : netloc.host}${sport}`;
    const slash = url.indexOf('/', m[0].length + 2);
    mm.head = slash >= 0 ? url.slice(0, slash) : url;
    mm.scheme = scheme;
    mm.netloc = netloc;
    mm.base = base;
  }
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
  const pathAndQuery = '/' + path + (search !== null ? '?' + search : '');
  return { ok: true, value: { url: base + pathAndQuery, netloc, pathAndQuery } };
}

/**
 * The last `scheme://authority` canonHttpUrl parsed (`head`, as written up to the path's
 * slash), its lowercased scheme, NetLoc and canonical `scheme://host[:port]`: requests in a
 * row mostly go to one backend.
 */
const netlocMemo: { head: string; scheme: string; netloc: NetLoc | null; base: string } = { head: '', scheme: '', netloc: null, base: '' };
