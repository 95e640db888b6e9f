/**
 * Workers as httpd defines and finds them at configuration time (proxy_util.c:
 * ap_proxy_define_worker_ex, ap_proxy_get_worker_ex, ap_proxy_de_socketfy).
 */
import type { Loc } from '../../config/ast.js';
import type { WorkerDef } from './config.js';
import { defaultWorkerParams } from './params.js';
import { parseUri, proxyPortOfScheme, unparseUri } from './uri.js';

/**
 * ap_proxy_de_socketfy: `unix:/path|http://host/x` → `http://host/x` (`…|http:` → `http://localhost`);
 * undefined for a `unix:` URL whose part after `|` has no scheme.
 */
export function deSocketfy(url: string): string | undefined {
  if (url.slice(0, 5).toLowerCase() !== 'unix:') return url;
  const bar = url.indexOf('|', 5);
  if (bar < 0) return url;
  const ret = url.slice(bar + 1);
  const c = ret.indexOf(':');
  if (c < 0) return undefined;
  return c === ret.length - 1 ? `${ret}//localhost` : ret;
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

/**
 * ap_proxy_get_worker_ex: the defined worker whose name is the longest prefix of `url` (at least
 * covering `scheme://host[:port]`, compared case-insensitively there). `match` selects which kinds
 * of worker may be returned: prefix ones, match ($n) ones, or both.
 */
export function findWorker(workers: WorkerDef[], rawUrl: string, match: 'prefix' | 'match' | 'both'): WorkerDef | undefined {
  const url = deSocketfy(rawUrl);
  if (url === undefined) return undefined;
  const c = url.indexOf(':');
  if (c < 0 || url[c + 1] !== '/' || url[c + 2] !== '/' || c + 3 >= url.length) return undefined;
  const slash = url.indexOf('/', c + 3);
  const hostEnd = slash < 0 ? url.length : slash;
  const urlCopy = url.slice(0, hostEnd).toLowerCase() + url.slice(hostEnd);
  const minMatch = hostEnd;
  let best: WorkerDef | undefined;
  let maxMatch = 0;
  for (const w of workers) {
    const len = w.name.length;
    if (len > url.length || len < minMatch || len <= maxMatch) continue;
    const prefixOk = w.isMatch || (match !== 'match' && urlCopy.startsWith(w.name));
    const matchOk = !w.isMatch || (match !== 'prefix' && strcmpEmatch(urlCopy, w.name) === 0);
    if (prefixOk && matchOk) {
      best = w;
      maxMatch = len;
    }
  }
  return best;
}

/** True when `$n` appears in `pos` at index i. */
const isRef = (s: string, i: number): boolean => s[i] === '$' && /[0-9]/.test(s[i + 1] ?? '');

/**
 * ap_proxy_define_worker_ex: parse and normalise a worker URL. Returns the new worker, or httpd's
 * error text (to be prefixed with the directive name by the caller).
 */
export function defineWorker(url: string, isMatch: boolean, loc: Loc, balancer?: string): WorkerDef | string {
  let ptr = url;
  let udsPath: string | undefined;
  if (url.slice(0, 5).toLowerCase() === 'unix:' && url.indexOf('|', 5) >= 0) {
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
    uri.hostname = uri.hostname.toLowerCase();
  }
  uri.scheme = uri.scheme.toLowerCase();
  const defaultPort = proxyPortOfScheme(uri.scheme);
  if (uri.port && uri.port === defaultPort) uri.port = 0;
  if (pdollars) uri.path = pdollars + (uri.path ?? '');
  const name = unparseUri(uri);
  const params = defaultWorkerParams();
  if (!balancer) params.status.add('I');
  if (isMatch && name.includes('$')) params.disableReuse = true;
  return {
    name,
    displayName: udsPath !== undefined ? `unix:${udsPath}|${name}` : name,
    url,
    scheme: uri.scheme,
    hostname: uri.hostname,
    port: uri.port || defaultPort,
    path: uri.path ?? '',
    udsPath,
    isMatch,
    balancer,
    params,
    set: [],
    fromServer: {},
    loc,
    sharedBy: [],
  };
}
