import net from 'node:net';

/** What apr_parse_addr_port returns: host (undefined when only a port was given), port (0 = none), scope id. */
export interface ParsedAddr {
  host?: string;
  port: number;
  scopeId?: string;
  ipv6: boolean;
}

/** APR's apr_parse_addr_port: `port`, `host`, `host:port`, `[v6]`, `[v6]:port`, `[v6%scope]:port`. */
export function parseAddrPort(str: string): ParsedAddr | undefined {
  let last = str.length - 1;
  let ch = last;
  while (ch >= 0 && str[ch] >= '0' && str[ch] <= '9') ch--;
  if (ch < 0) {
    const p = Number.parseInt(str, 10);
    if (!(p >= 1 && p <= 65535)) return undefined;
    return { port: p, ipv6: false };
  }
  let port = 0;
  if (str[ch] === ':' && ch < last) {
    if (ch === 0) return undefined;
    const p = Number.parseInt(str.slice(ch + 1), 10);
    if (!(p >= 1 && p <= 65535)) return undefined;
    port = p;
    last = ch - 1;
  }
  const hostText = str.slice(0, last + 1);
  if (hostText.startsWith('[')) {
    const close = hostText.indexOf(']');
    if (close !== hostText.length - 1) return undefined;
    let inner = hostText.slice(1, close);
    let scopeId: string | undefined;
    const pct = inner.indexOf('%');
    if (pct >= 0) {
      if (pct === inner.length - 1) return undefined;
      scopeId = inner.slice(pct + 1);
      inner = inner.slice(0, pct);
    }
    if (!net.isIPv6(inner)) return undefined;
    return { host: inner, port, scopeId, ipv6: true };
  }
  return { host: hostText, port, ipv6: false };
}
