/**
 * Virtual host selection as httpd's server/vhost.c does it (notes/config-syntax.md §9):
 * per connection by local IP and port, then per request by the Host name.
 */
import ipaddr from 'ipaddr.js';
import { httpError, type HttpResult } from './http-error.js';

export interface VhostAddr {
  /** Literal IP address, or `*` (also `_default_`) for any address. */
  ip: string | '*';
  /** Port, or `*` for any port. */
  port: number | '*';
}

export interface VhostInput<Id> {
  /** The `<VirtualHost>` addresses (host names already resolved by the compiler). */
  addrs: VhostAddr[];
  /** ServerName (without port) first, then the ServerAlias names without wildcards. */
  names: string[];
  /** ServerAlias names containing `*` or `?`. */
  wildcards: string[];
  id: Id;
  /** Host names as written in `<VirtualHost name:port>`, matched after the names. */
  addrNames?: string[];
  /** `ServerPath`, for requests without a Host. */
  serverPath?: string;
}

export interface VhostTableInput<Id> {
  vhosts: VhostInput<Id>[];
}

interface ChainEntry<Id> {
  vhost: VhostInput<Id>;
  port: number | '*';
}

/** The vhosts sharing one IP:port (a name-based chain when more than one). */
export interface Chain<Id> {
  entries: ChainEntry<Id>[];
}

/** Canonical form of an IP for comparisons (IPv4-mapped IPv6 becomes IPv4). */
export function canonicalIp(ip: string): string {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  try {
    const a = ipaddr.parse(bare);
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) return (a as ipaddr.IPv6).toIPv4Address().toString();
    return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toNormalizedString() : a.toString();
  } catch {
    return bare.toLowerCase();
  }
}

/** `ap_strcasecmp_match`: `*` any run, `?` one character, case-insensitive. */
export function wildcardMatch(str: string, pattern: string): boolean {
  const s = str.toLowerCase();
  const p = pattern.toLowerCase();
  const memo = new Map<string, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = `${i},${j}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (j === p.length) r = i === s.length;
    else if (p[j] === '*') r = go(i, j + 1) || (i < s.length && go(i + 1, j));
    else r = i < s.length && (p[j] === '?' || p[j] === s[i]) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** `strict_hostname_check` (HttpProtocolOptions Strict). */
function strictHostnameOk(host: string): boolean {
  let dotted = true;
  let leadingZeroes = false;
  let dots = 0;
  for (let i = 0; i < host.length; i++) {
    const c = host[i];
    if (/[A-Za-z_-]/.test(c)) dotted = false;
    else if (c === '.') {
      dots++;
      if (host[i + 1] === '0' && /[0-9]/.test(host[i + 2] ?? '')) leadingZeroes = true;
    } else if (!/[0-9]/.test(c)) return false;
  }
  if (dotted) return !(host.startsWith('.') || dots !== 3 || leadingZeroes);
  const last = host.lastIndexOf('.');
  if (last >= 0 && last + 1 < host.length && !/[A-Za-z]/.test(host[last + 1])) return false;
  return true;
}

export interface FixedHost {
  /** Lowercased, trailing dot removed; `[v6]` kept in brackets. */
  hostname: string;
  port: number | null;
}

/**
 * `fix_hostname`: validate and normalise a Host value. 400 for `/`, `\`, `..`, a bad port or
 * IPv6 literal, and in strict mode (the default) for the cases of `strict_hostname_check`.
 */
export function fixHostname(value: string, strict = true): HttpResult<FixedHost> {
  const bad = (why: string) => ({ ok: false as const, error: httpError(400, `AH00550: Client sent malformed Host header: ${value} (${why})`) });
  if (value === '') return bad('empty host');
  if (/^[0-9]+$/.test(value)) {
    if (strict) return bad('purely numeric host name');
    return { ok: true, value: { hostname: value, port: null } };
  }
  let host: string;
  let portText: string | null = null;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return bad('bad IPv6 literal');
    const inner = value.slice(1, close);
    if (inner.includes('%') || !ipaddr.IPv6.isValid(inner)) return bad('bad IPv6 literal');
    const tail = value.slice(close + 1);
    if (tail !== '' && !tail.startsWith(':')) return bad('bad port');
    if (tail.startsWith(':')) portText = tail.slice(1);
    host = `[${inner.toLowerCase()}]`;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon >= 0) {
      portText = value.slice(colon + 1);
      host = value.slice(0, colon);
    } else {
      host = value;
    }
    if (host === '' || host.includes('/') || host.includes('\\') || host.includes('..') || host.includes(':')) return bad('invalid characters');
    host = host.toLowerCase();
    if (strict && !strictHostnameOk(host)) return bad('strict hostname check failed');
    if (host.endsWith('.')) host = host.slice(0, -1);
  }
  let port: number | null = null;
  if (portText !== null) {
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) > 65535) return bad('bad port');
    port = Number(portText);
  }
  return { ok: true, value: { hostname: host, port } };
}

export interface RequestHostInfo {
  /** The Host header, if any. */
  host?: string;
  /** The host[:port] of an absolute request-URI, which replaces the Host header. */
  absoluteHost?: string;
  /** The request path (for ServerPath when there is no Host). */
  uri: string;
  /** HttpProtocolOptions Strict (default true). */
  strict?: boolean;
  /** StrictHostCheck On: no name match on a name-based chain → 400. */
  strictHostCheck?: boolean;
  /** HTTP/1.1 or later: a Host is required (400 without one). */
  http11?: boolean;
}

export interface RequestVhost<Id> {
  /** The selected vhost, or null for the main server. */
  id: Id | null;
  /** The validated host name (null when the request had none). */
  hostname: string | null;
  /** The port given with the host, if any. */
  port: number | null;
}

/** Entries kept per memo of ConnectionVhosts / VhostTable before it is emptied (Host values a client chooses). */
const MEMO_LIMIT = 512;

/** Per-connection state: the chain chosen by local IP and port. */
export class ConnectionVhosts<Id> {
  /** Successful selections by Host value, one map per combination of the strict flags. */
  private readonly byHost: Map<string, HttpResult<RequestVhost<Id>>>[] = [new Map(), new Map(), new Map(), new Map()];

  constructor(
    readonly chain: Chain<Id> | null,
    readonly localPort: number,
  ) {}

  /** The connection's default server: the chain's first vhost, or null (main server). */
  get base(): Id | null {
    return this.chain ? this.chain.entries[0].vhost.id : null;
  }

  /**
   * Per-request step (`ap_update_vhost_from_headers_ex`). A request with a host name gets the
   * same answer as the last one with that Host (the answer depends on nothing else then), so
   * successful selections are remembered.
   */
  forRequest(info: RequestHostInfo): HttpResult<RequestVhost<Id>> {
    const raw = info.absoluteHost ?? info.host;
    if (raw === undefined) return this.select(info);
    const memo = this.byHost[(info.strict !== false ? 1 : 0) + (info.strictHostCheck ? 2 : 0)];
    const hit = memo.get(raw);
    if (hit !== undefined) return hit;
    const r = this.select(info);
    if (r.ok) {
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(raw, r);
    }
    return r;
  }

  private select(info: RequestHostInfo): HttpResult<RequestVhost<Id>> {
    const raw = info.absoluteHost ?? info.host;
    if (raw === undefined && info.http11) {
      return { ok: false, error: httpError(400, 'AH00569: client sent HTTP/1.1 request without hostname (see RFC2616 section 14.23)') };
    }
    let hostname: string | null = null;
    let port: number | null = null;
    if (raw !== undefined) {
      const fixed = fixHostname(raw, info.strict !== false);
      if (!fixed.ok) return fixed;
      hostname = fixed.value.hostname;
      port = fixed.value.port;
    }
    const chain = this.chain;
    if (!chain) return { ok: true, value: { id: null, hostname, port } };
    const entries = chain.entries.filter((e) => e.port === '*' || e.port === this.localPort);
    if (hostname === null) {
      const sp = entries.find((e) => {
        const p = e.vhost.serverPath;
        return p !== undefined && info.uri.startsWith(p) && (p.endsWith('/') || info.uri.length === p.length || info.uri[p.length] === '/');
      });
      return { ok: true, value: { id: (sp ?? chain.entries[0]).vhost.id, hostname, port } };
    }
    const h = hostname;
    const byName = entries.find(
      (e) => e.vhost.names.some((n) => n.toLowerCase() === h) || e.vhost.wildcards.some((w) => wildcardMatch(h, w)),
    );
    if (byName) return { ok: true, value: { id: byName.vhost.id, hostname, port } };
    const byAddr = entries.find((e) => e.vhost.addrNames?.some((n) => n.toLowerCase() === h));
    if (byAddr) return { ok: true, value: { id: byAddr.vhost.id, hostname, port } };
    if (info.strictHostCheck && chain.entries.length > 1) {
      return { ok: false, error: httpError(400, `AH10156: Requested hostname '${hostname}' did not match any ServerName/ServerAlias in the found vhost`) };
    }
    return { ok: true, value: { id: chain.entries[0].vhost.id, hostname, port } };
  }
}

/** The vhost tables built once from the configuration (`ap_fini_vhost_config`). */
export class VhostTable<Id> {
  private readonly specific = new Map<string, Chain<Id>>();
  private readonly defaults = new Map<string, Chain<Id>>();

  constructor(input: VhostTableInput<Id>) {
    for (const v of input.vhosts) {
      for (const a of v.addrs) {
        const wildcard = a.ip === '*' || a.ip === '_default_';
        const map = wildcard ? this.defaults : this.specific;
        const key = wildcard ? String(a.port) : `${canonicalIp(a.ip)}|${a.port}`;
        let chain = map.get(key);
        if (!chain) {
          chain = { entries: [] };
          map.set(key, chain);
        }
        if (!chain.entries.some((e) => e.vhost === v)) chain.entries.push({ vhost: v, port: a.port });
      }
    }
  }

  /** forConnection's answers by local port, then local IP (a server has few of either). */
  private readonly byLocal = new Map<number, Map<string, ConnectionVhosts<Id>>>();

  /** Per-connection step (`ap_update_vhost_given_ip`). */
  forConnection(localIp: string, localPort: number): ConnectionVhosts<Id> {
    let ips = this.byLocal.get(localPort);
    if (ips === undefined) {
      if (this.byLocal.size >= MEMO_LIMIT) this.byLocal.clear();
      ips = new Map();
      this.byLocal.set(localPort, ips);
    }
    let cv = ips.get(localIp);
    if (cv === undefined) {
      if (ips.size >= MEMO_LIMIT) ips.clear();
      cv = this.connection(localIp, localPort);
      ips.set(localIp, cv);
    }
    return cv;
  }

  private connection(localIp: string, localPort: number): ConnectionVhosts<Id> {
    const ip = canonicalIp(localIp);
    const chain =
      this.specific.get(`${ip}|${localPort}`) ??
      this.specific.get(`${ip}|*`) ??
      this.defaults.get(String(localPort)) ??
      this.defaults.get('*') ??
      null;
    return new ConnectionVhosts(chain, localPort);
  }
}
