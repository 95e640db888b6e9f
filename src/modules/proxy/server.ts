/** mod_proxy's server-wide directives (one handler each, as in mod_proxy.c). */
import { isIP } from 'node:net';
import type { Cmd } from '../../directives/types.js';
import type { NoProxyEntry, ProxyServerConfig } from './config.js';
import { serverConf } from './config.js';
import { atoi, atol, strtol } from './cstr.js';
import { compileRegex } from './regex.js';
import { aprPortOfScheme } from './uri.js';

type Setter = (cmd: Cmd, args: string[]) => string | undefined;

/** A handler that sets one field of the server record from the first argument. */
function server(set: (conf: ProxyServerConfig, arg: string) => string | undefined): Setter {
  return (cmd, args) => set(serverConf(cmd), args[0]);
}

const flag = (v: string): boolean => v === 'On';

export const setProxyRequests = server((c, v) => void (c.req = flag(v)));
export const setBalancerPersist = server((c, v) => void (c.balancerPersist = flag(v)));
export const setBalancerInherit = server((c, v) => void (c.balancerInherit = flag(v)));
export const setPassInherit = server((c, v) => void (c.passInherit = flag(v)));

export const setProxyDomain = server((c, v) => {
  if (!v.startsWith('.')) return 'ProxyDomain: domain name must start with a dot.';
  c.domain = v;
  return undefined;
});

export const setProxyVia = server((c, v) => {
  const m: Record<string, ProxyServerConfig['via']> = { off: 'off', on: 'on', block: 'block', full: 'full' };
  const via = m[v.toLowerCase()];
  if (!via) return 'ProxyVia must be one of: off | on | full | block';
  c.via = via;
  return undefined;
});

export const setProxyBadHeader = server((c, v) => {
  const m: Record<string, ProxyServerConfig['badHeader']> = { iserror: 'IsError', ignore: 'Ignore', startbody: 'StartBody' };
  const opt = m[v.toLowerCase()];
  if (!opt) return 'ProxyBadHeader must be one of: IsError | Ignore | StartBody';
  c.badHeader = opt;
  return undefined;
});

export const setProxyStatus = server((c, v) => {
  const m: Record<string, ProxyServerConfig['status']> = { off: 'off', on: 'on', full: 'full' };
  const st = m[v.toLowerCase()];
  if (!st) return 'ProxyStatus must be one of: off | on | full';
  c.status = st;
  return undefined;
});

export const setProxyTimeout = server((c, v) => {
  const t = atoi(v);
  if (t < 1) return 'Proxy Timeout must be at least 1 second.';
  c.timeout = t * 1_000_000;
  return undefined;
});

export const setReceiveBufferSize = server((c, v) => {
  const s = atoi(v);
  if (s < 512 && s !== 0) return 'ProxyReceiveBufferSize must be >= 512 bytes, or 0 for system default.';
  c.receiveBufferSize = s;
  return undefined;
});

export const setIoBufferSize = server((c, v) => {
  const s = atol(v);
  if (s < 512 && s) return 'ProxyIOBufferSize must be >= 512 bytes, or 0 for system default.';
  c.ioBufferSize = s || 8192;
  return undefined;
});

export const setMaxForwards = server((c, v) => void (c.maxForwards = atol(v)));

export const setBalancerGrowth = server((c, v) => {
  const g = atoi(v);
  if (g < 0 || g > 1000) return 'BalancerGrowth must be between 0 and 1000';
  c.balancerGrowth = g;
  return undefined;
});

/**
 * httpd resolves the address with getaddrinfo at start-up. featherd accepts IP literals and
 * well-formed host names here and resolves names when the proxy starts.
 */
export const setSourceAddress = server((c, v) => {
  const hostname = /^(?=.*[A-Za-z_-])[A-Za-z0-9_.-]+$/.test(v) && !v.startsWith('.');
  if (!isIP(v) && !hostname) return 'ProxySourceAddress invalid value';
  c.sourceAddress = v;
  return undefined;
});

/** ProxyBlock: words kept as written (case-insensitive de-duplication); names are resolved at run time. */
export const addProxyBlock = server((c, v) => {
  if (!c.block.some((b) => b.toLowerCase() === v.toLowerCase())) c.block.push(v);
  return undefined;
});

/** ap_proxy_is_ipaddr: dotted quads with an optional /bits; a missing mask is guessed from trailing zeros. */
export function parseIpEntry(name: string, warn: (code: string, msg: string) => void): NoProxyEntry | undefined {
  let s = name;
  const quads: number[] = [];
  while (quads.length < 4 && s !== '') {
    if (s[0] === '/' && quads.length > 0) break;
    if (!/[0-9]/.test(s[0])) return undefined;
    const { value, end } = strtol(s, 0);
    if (end === 0) return undefined;
    const q = Number(value);
    if (q < 0 || q > 255) return undefined;
    quads.push(q);
    s = s.slice(end);
    if (s[0] === '.' && quads.length !== 4) s = s.slice(1);
  }
  let addr = 0;
  quads.forEach((q, i) => (addr = (addr | (q << (24 - 8 * i))) >>> 0));
  let bits: number;
  if (s[0] === '/' && /[0-9]/.test(s[1] ?? '')) {
    const { value, end } = strtol(s.slice(1), 0);
    bits = Number(value);
    s = s.slice(1 + end);
    if (bits < 0 || bits > 32) return undefined;
  } else {
    let n = quads.length;
    while (n > 0 && quads[n - 1] === 0) n--;
    if (n < 1) return undefined;
    bits = 8 * n;
    if (bits !== 32) warn('AH00900', `Warning: NetMask not supplied with IP-Addr; guessing: ${ipString(addr)}/${bits}`);
  }
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  if (s !== '') return undefined;
  if ((addr & ~mask) >>> 0 !== 0) {
    warn('AH00901', `Warning: NetMask and IP-Addr disagree in ${ipString(addr)}/${bits}`);
    addr = (addr & mask) >>> 0;
    warn('AH00902', `         Set to ${ipString(addr)}/${bits}`);
  }
  return { kind: 'ip', name, addr, mask };
}

function ipString(a: number): string {
  return [24, 16, 8, 0].map((s) => (a >>> s) & 255).join('.');
}

/** NoProxy: each word classified as httpd's set_proxy_dirconn does. */
export function addNoProxy(cmd: Cmd, args: string[]): string | undefined {
  const c = serverConf(cmd);
  const arg = args[0];
  if (c.noProxy.some((e) => e.name.toLowerCase() === arg.toLowerCase())) return undefined;
  const warn = (code: string, message: string): void => cmd.warn({ severity: 'warning', rule: 'httpd', code, message });
  const ip = parseIpEntry(arg, warn);
  if (ip) c.noProxy.push(ip);
  else if (/^\.[A-Za-z0-9.-]*$/.test(arg)) c.noProxy.push({ kind: 'domain', name: arg.toLowerCase().replace(/(.)\.+$/, '$1') });
  else c.noProxy.push({ kind: 'host', name: /^[A-Za-z0-9.-]+$/.test(arg) ? arg.toLowerCase() : arg });
  return undefined;
}

function addRemote(cmd: Cmd, args: string[], regex: boolean): string | undefined {
  const c = serverConf(cmd);
  const [f, r, creds] = args;
  const name = regex ? 'ProxyRemoteMatch' : 'ProxyRemote';
  const p = r.indexOf(':');
  if (p < 0 || r[p + 1] !== '/' || r[p + 2] !== '/' || p + 3 >= r.length) return `${name}: Bad syntax for a remote proxy server`;
  const protocol = r.slice(0, p);
  let host = r.slice(p + 3);
  let port = -1;
  const q = host.indexOf(':');
  if (q >= 0) {
    const m = /^\s*[+-]?\d+/.exec(host.slice(q + 1));
    if (!m || Number(m[0]) > 65535) return `${name}: Bad syntax for a remote proxy server (bad port number)`;
    port = Number(m[0]);
    host = host.slice(0, q);
  }
  let match = f;
  let re: RegExp | undefined;
  if (regex) {
    re = compileRegex(f);
    if (!re) return 'Regular expression for ProxyRemoteMatch could not be compiled.';
  } else if (!f.includes(':')) {
    match = f.toLowerCase();
  }
  if (port === -1) port = aprPortOfScheme(protocol);
  c.remotes.push({
    match,
    regex: re,
    protocol,
    hostname: host.toLowerCase(),
    port,
    auth: creds !== undefined ? `Basic ${Buffer.from(creds).toString('base64')}` : undefined,
    loc: cmd.node.loc,
  });
  return undefined;
}

export const addProxyRemote: Setter = (cmd, args) => addRemote(cmd, args, false);
export const addProxyRemoteMatch: Setter = (cmd, args) => addRemote(cmd, args, true);
