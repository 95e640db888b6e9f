/**
 * The request-URI steps httpd's core runs before translate_name (`ap_parse_uri`,
 * `ap_normalize_path`, `ap_unescape_url_ex`; notes/proxy-semantics.md §1).
 *
 * Paths are byte strings: each character is one octet (code 0–255), as `%XX` decoding
 * produces them.
 */
import { httpError, type HttpResult } from './http-error.js';

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
