/**
 * NoProxy and ProxyRemote / ProxyRemoteMatch (mod_proxy's proxy_handler): which upstream proxy,
 * if any, a request goes through, and undici dispatchers that talk to it — the absolute URL
 * as request-target for http targets, a CONNECT tunnel for https ones.
 */
import type { Dispatcher } from 'undici';
import type { NoProxyEntry, RemoteProxy } from '../config.js';
import { resolveAll } from './block.js';
import { undici } from './undici.js';

function stripDots(s: string): string {
  return s.replace(/\.+$/, '');
}

function ipv4ToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const q = m.slice(1).map(Number);
  if (q.some((n) => n > 255)) return null;
  return ((q[0] << 24) | (q[1] << 16) | (q[2] << 8) | q[3]) >>> 0;
}

/** Addresses NoProxy host entries resolved to at start-up (an entry that does not resolve is a word). */
const hostAddrs = new Map<string, Promise<string[]>>();

function hostEntryAddrs(name: string): Promise<string[]> {
  let p = hostAddrs.get(name);
  if (!p) {
    p = resolveAll(name);
    hostAddrs.set(name, p);
  }
  return p;
}

/** Starts the start-up lookups of a server's NoProxy host entries. */
export function prepareNoProxy(entries: readonly NoProxyEntry[]): void {
  for (const e of entries) if (e.kind === 'host') void hostEntryAddrs(e.name);
}

/** proxy_match_ipaddr / _domainname / _hostname / _word for one entry against the request's host. */
export async function noProxyMatches(e: NoProxyEntry, host: string): Promise<boolean> {
  if (host === '') return false;
  switch (e.kind) {
    case 'ip': {
      const direct = ipv4ToInt(host);
      if (direct !== null) return ((direct & e.mask) >>> 0) === e.addr;
      for (const a of await resolveAll(host)) {
        const n = ipv4ToInt(a);
        if (n !== null && ((n & e.mask) >>> 0) === e.addr) return true;
      }
      return false;
    }
    case 'domain': {
      const d = stripDots(e.name).toLowerCase();
      const h = stripDots(host).toLowerCase();
      return h.length > d.length && h.endsWith(d);
    }
    case 'host': {
      const addrs = await hostEntryAddrs(e.name);
      if (addrs.length > 0) return stripDots(host).toLowerCase() === stripDots(e.name).toLowerCase();
      return host.includes(e.name);
    }
  }
}

/** Whether a NoProxy entry sends the request directly. */
export async function connectDirectly(entries: readonly NoProxyEntry[], host: string): Promise<boolean> {
  for (const e of entries) if (await noProxyMatches(e, host)) return true;
  return false;
}

/** The ProxyRemote entries that apply to `url` (scheme: the text before the first `:`), in order. */
export function remotesFor(remotes: readonly RemoteProxy[], url: string): RemoteProxy[] {
  const colon = url.indexOf(':');
  const scheme = colon >= 0 ? url.slice(0, colon) : url;
  return remotes.filter((r) => {
    if (r.match === '*') return true;
    if (r.regex) {
      r.regex.lastIndex = 0;
      return r.regex.test(url);
    }
    if (!r.match.includes(':')) return r.match.toLowerCase() === scheme.toLowerCase();
    return url.toLowerCase().startsWith(r.match.toLowerCase());
  });
}

export function remoteOrigin(r: RemoteProxy): string {
  const host = r.hostname.includes(':') ? `[${r.hostname}]` : r.hostname;
  return `${r.protocol === 'https' ? 'https' : 'http'}://${host}:${r.port}`;
}

type AbsoluteForm = new (pool: Dispatcher, proxyOrigin: string) => Dispatcher;
let absoluteForm: AbsoluteForm | undefined;

/**
 * A dispatcher sending every request to a forward proxy with the absolute URL as request-target
 * (what mod_proxy_http does for an http target behind ProxyRemote). Host and the other headers
 * are left as the caller built them. The class extends undici's Dispatcher, so it is made when
 * first needed.
 */
export function absoluteFormDispatcher(pool: Dispatcher, proxyOrigin: string): Dispatcher {
  absoluteForm ??= class AbsoluteFormDispatcher extends undici().Dispatcher {
    constructor(
      private readonly pool: Dispatcher,
      private readonly proxyOrigin: string,
    ) {
      super();
    }

    override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
      const origin = typeof opts.origin === 'string' ? opts.origin : String(opts.origin ?? '');
      const target = new URL(opts.path, origin).href;
      return this.pool.dispatch({ ...opts, origin: this.proxyOrigin, path: target }, handler);
    }

    override async close(): Promise<void> {
      await this.pool.close();
    }

    override async destroy(): Promise<void> {
      await this.pool.destroy();
    }
  };
  return new absoluteForm(pool, proxyOrigin);
}

/** Dispatchers to remote proxies, one per remote and kind, kept for the configuration's life. */
export class RemoteDispatchers {
  private readonly made = new Map<string, Dispatcher>();

  constructor(private readonly timeoutMs: number) {}

  /** The dispatcher for a request to `targetScheme` through `r`. */
  get(r: RemoteProxy, targetScheme: string): Dispatcher {
    const origin = remoteOrigin(r);
    const tunnel = targetScheme === 'https' || targetScheme === 'wss';
    const key = `${tunnel ? 'tunnel' : 'abs'} ${origin} ${r.auth ?? ''}`;
    let d = this.made.get(key);
    if (!d) {
      if (tunnel) {
        // No certificate check of the target, as httpd's default SSLProxyVerify none.
        d = new (undici().ProxyAgent)({ uri: origin, ...(r.auth ? { token: r.auth } : {}), requestTls: { rejectUnauthorized: false }, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
      } else {
        const pool = new (undici().Pool)(origin, { connect: { timeout: this.timeoutMs }, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs, pipelining: 1 });
        d = absoluteFormDispatcher(pool, origin);
      }
      this.made.set(key, d);
    }
    return d;
  }

  async close(): Promise<void> {
    const all = [...this.made.values()];
    this.made.clear();
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
  }
}
