import ipaddr from 'ipaddr.js';

/** An address block as APR's apr_ipsubnet_t: network bytes and mask bytes. */
export interface IpSubnet {
  family: 4 | 6;
  /** Network address bytes (4 or 16), already masked. */
  sub: number[];
  mask: number[];
  /** The text it was parsed from. */
  text: string;
}

/**
 * Why apr_ipsubnet_create refused: `EINVAL` (does not look like an address at all, callers
 * usually treat the word as a host name), `EBADIP` or `EBADMASK`.
 */
export type IpSubnetError = 'EINVAL' | 'EBADIP' | 'EBADMASK';

/** apr_strerror for the two address errors. */
export const APR_MESSAGES: Record<Exclude<IpSubnetError, 'EINVAL'>, string> = {
  EBADIP: 'The specified IP address is invalid.',
  EBADMASK: 'The specified network mask is invalid.',
};

function looksLikeIp(s: string): boolean {
  if (s.includes(':')) return true;
  return /^[0-9.]*$/.test(s);
}

/** Strict dotted quad as inet_pton(AF_INET) (no leading zeros, four parts). */
function parseV4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0')) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseV6(s: string): number[] | undefined {
  if (!ipaddr.IPv6.isValid(s) || s.includes('%')) return undefined;
  return ipaddr.IPv6.parse(s).toByteArray();
}

/** The legacy "a.b.c." network form (only without a mask). */
function parseNetwork(s: string): { sub: number[]; mask: number[] } | undefined {
  if (s.length >= 16) return undefined;
  const sub = [0, 0, 0, 0];
  const mask = [0, 0, 0, 0];
  const parts = s.split('.');
  if (parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 4) return undefined;
  for (let i = 0; i < parts.length; i++) {
    if (!/^[0-9]+$/.test(parts[i])) return undefined;
    const n = parseInt(parts[i], 10);
    if (n > 255) return undefined;
    sub[i] = n;
    mask[i] = 255;
  }
  return { sub, mask };
}

/** apr_ipsubnet_create(ipstr, mask_or_numbits). */
export function parseIpSubnet(ip: string, maskText?: string): IpSubnet | IpSubnetError {
  if (!looksLikeIp(ip)) return 'EINVAL';
  const text = maskText === undefined ? ip : `${ip}/${maskText}`;
  let family: 4 | 6;
  let sub: number[];
  let mask: number[];
  const v6 = parseV6(ip);
  if (v6) {
    if (v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return 'EBADIP';
    family = 6;
    sub = v6;
    mask = new Array(16).fill(255);
  } else {
    const v4 = parseV4(ip);
    if (v4) {
      family = 4;
      sub = v4;
      mask = [255, 255, 255, 255];
    } else if (maskText === undefined) {
      const net = parseNetwork(ip);
      if (!net) return 'EBADIP';
      return { family: 4, sub: net.sub, mask: net.mask, text };
    } else {
      return 'EBADIP';
    }
  }
  if (maskText !== undefined) {
    const maxBits = family === 6 ? 128 : 32;
    const m = /^\s*[+-]?[0-9]+$/.exec(maskText);
    const bits = m ? parseInt(maskText, 10) : NaN;
    if (m && bits > 0 && bits <= maxBits) {
      mask = new Array(sub.length).fill(0);
      for (let i = 0; i < bits; i++) mask[i >> 3] |= 0x80 >> (i & 7);
    } else {
      const dotted = parseV4(maskText);
      if (dotted && family === 4) mask = dotted;
      else return 'EBADMASK';
    }
  }
  return { family, sub: sub.map((b, i) => b & mask[i]), mask, text };
}

/** apr_ipsubnet_test: whether an address (text, IPv4, IPv6 or IPv4-mapped IPv6) is inside. */
export function ipInSubnet(subnet: IpSubnet, address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let addr = ipaddr.parse(address);
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  }
  const bytes = addr.toByteArray();
  if ((addr.kind() === 'ipv4' ? 4 : 6) !== subnet.family) return false;
  return bytes.every((b, i) => (b & subnet.mask[i]) === subnet.sub[i]);
}
