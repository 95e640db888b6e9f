/**
 * Workers as httpd defines and finds them at configuration time (proxy_util.c:
 * ap_proxy_define_worker_ex, ap_proxy_get_worker_ex, ap_proxy_de_socketfy).
 */
import type { Loc } from '../../config/ast.js';
import type { WorkerDef } from './config.js';
import { defaultWorkerParams, IGNORE_ERRORS_STATUS } from './params.js';
import { aprPortOfScheme, parseUri, proxyPortOfScheme, unparseUri } from './uri.js';

/**
 * ap_proxy_de_socketfy: `unix:/path|http://host/x` → `http://host/x` (`…|http:` → `http://localhost`);
 * undefined for a `unix:` URL whose part after `|` has no scheme.
 */
export function deSocketfy(url: string): string | undefined {
  if (!hasUnixPrefix(url)) return url;
  const bar = url.indexOf('|', 5);
  if (bar < 0) return url;
  const ret = url.slice(bar + 1);
  const c = ret.indexOf(':');
  if (c < 0) return undefined;
  return c === ret.length - 1 ? `${ret}//localhost` : ret;
}

/** Whether `url` starts with `unix:` in any letter case. */
function hasUnixPrefix(url: string): boolean {
  // Only ASCII letters lower-case to ASCII letters other than k (the Kelvin sign does too), so
  // comparing the ASCII letters case-insensitively is the same as lower-casing the first five.
  return (
    url.length >= 5 &&
    (url.charCodeAt(0) | 0x20) === 0x75 &&
    (url.charCodeAt(1) | 0x20) === 0x6e &&
    (url.charCodeAt(2) | 0x20) === 0x69 &&
    (url.charCodeAt(3) | 0x20) === 0x78 &&
    url.charCodeAt(4) === 0x3a
  );
}

/** Whether lower-casing the first `end` characters of `s` would change them. */
function hasUpper(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return true;
  }
  return false;
}

/** ap_proxy_strcmp_ematch: prefix comparison where `$n` in `expected` matches any text. 0 = match. */
export function strcmpEmatch(str: string, expected: string): number {
  let x = 0;
  for (let y = 0; y < expected.length; ++y, ++x) {
    if (expected[y] === '$' && /[0-9]/.test(expected[y + 1] ?? '')) {
      do {
        y += 2;
      } while (expected[y] === '$' && /[0-9]/.test(expected[y + 1] ?? ''));
      if (y >= expected.length) return 0;
      while (x < str.length) {
        const ret = strcmpEmatch(str.slice(x++), expected.slice(y));
        if (ret !== 1) return ret;
      }
      return -1;
    } else if (x >= str.length) {
      return -1;
    } else if (expected[y] === '\\' && ++y >= expected.length) {
      return -2;
    }
    if (str[x] !== expected[y]) return 1;
  }
  return 0;
}

/** A worker and its position in the list it was defined in (the earlier wins a tie). */
interface Indexed {
  worker: WorkerDef;
  pos: number;
}

/**
 * The workers of a list by what their name starts with. A prefix worker can only be found for
 * a URL whose `scheme://host[:port]` part is the same as its own (its name is a prefix of the URL
 * at least that long), so prefix workers are kept by that part of their name; match (`$n`)
 * workers and names of another form are always looked at.
 */
interface WorkerIndex {
  /** How many workers of the list are in the index, and the last of them. */
  count: number;
  last: WorkerDef | undefined;
  byHost: Map<string, Indexed[]>;
  others: Indexed[];
}

const indexes = new WeakMap<WorkerDef[], WorkerIndex>();

/** Lists up to this long are scanned rather than indexed. */
const SCAN_LIMIT = 16;

/** `scheme://host[:port]` of a name or URL: up to the first `/` after `://`; undefined for other forms. */
function hostPart(url: string): string | undefined {
  const c = url.indexOf(':');
  if (c < 0 || url.charCodeAt(c + 1) !== 47 || url.charCodeAt(c + 2) !== 47 || c + 3 >= url.length) return undefined;
  const slash = url.indexOf('/', c + 3);
  return slash < 0 ? url : url.slice(0, slash);
}

/** The index of a worker list, brought up to date with workers added (lists only grow by push). */
function indexOf(workers: WorkerDef[]): WorkerIndex {
  let idx = indexes.get(workers);
  if (!idx || idx.count > workers.length || (idx.count > 0 && workers[idx.count - 1] !== idx.last)) {
    idx = { count: 0, last: undefined, byHost: new Map(), others: [] };
    indexes.set(workers, idx);
  }
  for (let pos = idx.count; pos < workers.length; pos++) {
    const worker = workers[pos];
    const key = worker.isMatch ? undefined : hostPart(worker.name);
    const entry = { worker, pos };
    if (key === undefined) idx.others.push(entry);
    else {
      const list = idx.byHost.get(key);
      if (list) list.push(entry);
      else idx.byHost.set(key, [entry]);
    }
  }
  idx.count = workers.length;
  idx.last = workers[workers.length - 1];
  return idx;
}

/**
 * ap_proxy_get_worker_ex: the defined worker whose name is the longest prefix of `url` (at least
 * covering `scheme://host[:port]`, compared case-insensitively there). `match` selects which kinds
 * of worker may be returned: prefix ones, match ($n) ones, or both. Of workers with names of the
 * same length, the first defined wins.
 */
export function findWorker(workers: WorkerDef[], rawUrl: string, match: 'prefix' | 'match' | 'both'): WorkerDef | undefined {
  if (workers.length === 0) return undefined;
  const url = deSocketfy(rawUrl);
  if (url === undefined) return undefined;
  const c = url.indexOf(':');
  if (c < 0 || url[c + 1] !== '/' || url[c + 2] !== '/' || c + 3 >= url.length) return undefined;
  const slash = url.indexOf('/', c + 3);
  const hostEnd = slash < 0 ? url.length : slash;
  let urlCopy = url;
  let host: string | undefined;
  if (hasUpper(url, hostEnd)) {
    host = url.slice(0, hostEnd).toLowerCase();
    urlCopy = host + url.slice(hostEnd);
  }
  const minMatch = hostEnd;
  if (workers.length <= SCAN_LIMIT || (host !== undefined && host.length !== hostEnd)) {
    // A short list is scanned (as httpd does); so is every list when lower-casing changed the
    // length of the host part (a few non-ASCII letters do), which the index does not expect.
    let found: WorkerDef | undefined;
    let maxMatch = 0;
    for (let i = 0; i < workers.length; i++) {
      const w = workers[i];
      const len = w.name.length;
      if (len > url.length || len < minMatch || len <= maxMatch) continue;
      // Names in one list mostly share their start and differ at the end: compare the last
      // character first (a prefix must match there too).
      if (!w.isMatch && urlCopy.charCodeAt(len - 1) !== w.name.charCodeAt(len - 1)) continue;
      const prefixOk = w.isMatch || (match !== 'match' && urlCopy.startsWith(w.name));
      const matchOk = !w.isMatch || (match !== 'prefix' && strcmpEmatch(urlCopy, w.name) === 0);
      if (prefixOk && matchOk) {
        found = w;
        maxMatch = len;
      }
    }
    return found;
  }
  const idx = indexOf(workers);
  let best: Indexed | undefined;
  let maxMatch = 0;
  const consider = (candidates: Indexed[] | undefined) => {
    if (!candidates) return;
    for (let i = 0; i < candidates.length; i++) {
      const cand = candidates[i];
      const w = cand.worker;
      const len = w.name.length;
      if (len > url.length || len < minMatch || len < maxMatch) continue;
      if (len === maxMatch && best && best.pos < cand.pos) continue;
      const prefixOk = w.isMatch || (match !== 'match' && urlCopy.startsWith(w.name));
      const matchOk = !w.isMatch || (match !== 'prefix' && strcmpEmatch(urlCopy, w.name) === 0);
      if (prefixOk && matchOk) {
        best = cand;
        maxMatch = len;
      }
    }
  };
  if (match !== 'match') consider(idx.byHost.get(host ?? url.slice(0, hostEnd)));
  consider(idx.others);
  return best?.worker;
}

/** What a worker copied from a server without ProxyTimeout or buffer sizes: shared by all such workers. */
/** An empty list shared by new workers (their lists are replaced, never grown in place). */
const NONE: readonly never[] = Object.freeze([]);

const NOTHING_FROM_SERVER: WorkerDef['fromServer'] = Object.freeze({});

const hosts = new Map<string, string>();

/** One string per backend host name (many workers name the same few hosts). */
function internHost(host: string): string {
  const known = hosts.get(host);
  if (known !== undefined) return known;
  if (hosts.size < 4096) hosts.set(host, host);
  return host;
}

/** True when `$n` appears in `pos` at index i. */
const isRef = (s: string, i: number): boolean => s[i] === '$' && /[0-9]/.test(s[i + 1] ?? '');

/**
 * A URL already in the form parsing and unparsing it would give (`scheme://host[:port][/path]`,
 * lower-case scheme and host, a port that is not the scheme's default, no query, fragment or
 * user): its parts, read off directly. Most worker URLs are of this form; others are undefined.
 */
const NORMAL_URL = /^([a-z][a-z0-9+.-]*):\/\/([a-z0-9][a-z0-9.-]*)(?::([1-9][0-9]{0,4}))?(\/[^?#]*)?$/;

function normalUrl(url: string): { scheme: string; hostname: string; port: number; path: string } | undefined {
  const m = NORMAL_URL.exec(url);
  if (!m) return undefined;
  const scheme = m[1];
  const defaultPort = proxyPortOfScheme(scheme);
  if (m[3] === undefined) return { scheme, hostname: m[2], port: defaultPort, path: m[4] ?? '' };
  const port = Number(m[3]);
  if (port > 65535 || port === defaultPort || port === aprPortOfScheme(scheme)) return undefined;
  return { scheme, hostname: m[2], port, path: m[4] ?? '' };
}

/**
 * ap_proxy_define_worker_ex: parse and normalise a worker URL. Returns the new worker, or httpd's
 * error text (to be prefixed with the directive name by the caller).
 */
export function defineWorker(url: string, isMatch: boolean, loc: Loc, balancer?: string): WorkerDef | string {
  const plain = isMatch ? undefined : normalUrl(url);
  if (plain) return newWorker(url, url, undefined, plain.scheme, internHost(plain.hostname), plain.port, plain.path, false, loc, balancer);
  let ptr = url;
  let udsPath: string | undefined;
  if (hasUnixPrefix(url) && url.indexOf('|', 5) >= 0) {
    const bar = url.indexOf('|', 5);
    const sock = parseUri(url.slice(0, bar));
    if (sock) {
      udsPath = sock.path ?? '';
      ptr = url.slice(bar + 1);
    }
  }
  let pdollars = '';
  if (isMatch) {
    // "$n" in the :port part is moved in front of the path so that the URL parses.
    const sep = ptr.indexOf('://');
    if (sep >= 0) {
      let pos = sep + 3;
      while (pos < ptr.length && ptr[pos] !== ':' && ptr[pos] !== '/') pos++;
      if (ptr[pos] === ':') {
        pos++;
        while (pos < ptr.length && !isRef(ptr, pos) && ptr[pos] !== '/') pos++;
        if (isRef(ptr, pos)) {
          let path = pos + 2;
          while (path < ptr.length && ptr[path] !== '/') path++;
          pdollars = ptr.slice(pos, path);
          ptr = ptr.slice(0, pos) + ptr.slice(path);
        }
      }
    }
  }
  const uri = parseUri(ptr);
  if (!uri) return `Unable to parse URL: ${url}`;
  if (!uri.scheme) return `URL must be absolute!: ${url}`;
  if (uri.hostname === undefined) {
    if (udsPath === undefined) return `URL must be absolute!: ${url}`;
    uri.hostname = 'localhost';
  } else {
    uri.hostname = internHost(uri.hostname.toLowerCase());
  }
  uri.scheme = uri.scheme.toLowerCase();
  const defaultPort = proxyPortOfScheme(uri.scheme);
  if (uri.port && uri.port === defaultPort) uri.port = 0;
  if (pdollars) uri.path = pdollars + (uri.path ?? '');
  const unparsed = unparseUri(uri);
  // Usually the URL as written is already its normal form: keep one string, not two.
  const name = unparsed === url ? url : unparsed;
  return newWorker(name, url, udsPath, uri.scheme, uri.hostname, uri.port || defaultPort, uri.path ?? '', isMatch, loc, balancer);
}

function newWorker(
  name: string,
  url: string,
  udsPath: string | undefined,
  scheme: string,
  hostname: string,
  port: number,
  path: string,
  isMatch: boolean,
  loc: Loc,
  balancer: string | undefined,
): WorkerDef {
  const params = defaultWorkerParams();
  if (!balancer) params.status = IGNORE_ERRORS_STATUS;
  if (isMatch && name.includes('$')) params.disableReuse = true;
  return {
    name,
    displayName: udsPath !== undefined ? `unix:${udsPath}|${name}` : name,
    url,
    scheme,
    hostname,
    port,
    path,
    udsPath,
    isMatch,
    balancer,
    params,
    set: NONE,
    fromServer: NOTHING_FROM_SERVER,
    loc,
    sharedBy: NONE,
  };
}
