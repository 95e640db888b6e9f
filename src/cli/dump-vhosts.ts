import ipaddr from 'ipaddr.js';
import type { ServerRec, WalkState } from '../directives/types.js';
import { coreServer, type VhostAddr } from '../modules/core/config.js';
import { reverseDns } from '../util/dns.js';

// node:dns and node:os are loaded on first use (only -S, or a main server without ServerName, needs them).
const dns = {
  lookup: ((...a: Parameters<typeof import('node:dns').promises.lookup>) =>
    process.getBuiltinModule('node:dns').promises.lookup(...a)) as typeof import('node:dns').promises.lookup,
  lookupService: (address: string, port: number) => process.getBuiltinModule('node:dns').promises.lookupService(address, port),
};
const osHostname = (): string => process.getBuiltinModule('node:os').hostname();

/**
 * `-D DUMP_VHOSTS` (part of -S): the virtual host table as httpd's ap_fini_vhost_config builds
 * it and dump_vhost_config prints it (server/vhost.c).
 *
 * Host names in `<VirtualHost>` are resolved (every address joins the table, unresolvable names
 * are dropped as httpd does); vhosts without ServerName get the main server's name (wildcard
 * address) or the reverse-DNS name of their first address.
 */

interface Sar {
  /** Normalised IP text, or undefined for a wildcard (`*`, `_default_`). */
  ip?: string;
  v6: boolean;
  /** The 4 bytes httpd hashes (the last four of the address). */
  bucket: number;
  port: number;
}

interface Vhost {
  name: string;
  file: string;
  line: number;
  aliases: string[];
  wildAliases: string[];
  sars: Sar[];
}

interface Chain {
  sar: Sar;
  server?: Vhost;
  names: { vhost: Vhost; sar: Sar }[];
}

function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    return ipaddr.parse(text);
  } catch {
    return undefined;
  }
}

/** httpd's hash_addr: the last four address bytes folded into one (their XOR). */
function bucketOf(addr: ipaddr.IPv4 | ipaddr.IPv6): number {
  const bytes = addr.toByteArray();
  const last = bytes.slice(-4);
  return (last[0] ^ last[1] ^ last[2] ^ last[3]) & 0xff;
}

async function resolveAddr(a: VhostAddr): Promise<Sar[]> {
  if (a.wildcard) return [{ v6: false, bucket: 0, port: a.port }];
  const literal = parseIp(a.host);
  const toSar = (addr: ipaddr.IPv4 | ipaddr.IPv6): Sar => {
    const unspecified = addr.range() === 'unspecified';
    return unspecified
      ? { v6: addr.kind() === 'ipv6', bucket: 0, port: a.port }
      : { ip: addr.toNormalizedString(), v6: addr.kind() === 'ipv6', bucket: bucketOf(addr), port: a.port };
  };
  if (literal) return [toSar(literal)];
  try {
    const found = await dns.lookup(a.host, { all: true });
    const out: Sar[] = [];
    for (const f of found) {
      const p = parseIp(f.address);
      if (p) out.push(toSar(p));
    }
    return out;
  } catch {
    return [];
  }
}

async function reverseName(sar: Sar): Promise<string | undefined> {
  return sar.ip ? reverseDns(sar.ip) : undefined;
}

/**
 * httpd's ap_get_local_host: the machine's fully qualified name, else its address (`fqdn`
 * false: httpd then warns with AH00558).
 */
export async function localHost(): Promise<{ name: string; fqdn: boolean }> {
  const host = osHostname();
  try {
    const { address } = await dns.lookup(host);
    try {
      const { hostname } = await dns.lookupService(address, 0);
      if (hostname.includes('.')) return { name: hostname, fqdn: true };
    } catch {
      // fall through to the address, as httpd does
    }
    return { name: address, fqdn: false };
  } catch {
    return { name: host, fqdn: host.includes('.') };
  }
}

/** The name httpd gives a server without ServerName. */
export async function localHostName(): Promise<string> {
  return (await localHost()).name;
}

/** The main server's name as httpd would use it (ServerName, else the local host name). */
export async function mainServerName(state: WalkState): Promise<string> {
  return coreServer(state.mainServer).serverName?.host ?? (await localHostName());
}

async function collect(state: WalkState, mainName: string): Promise<Vhost[]> {
  const out: Vhost[] = [];
  for (const s of state.vhosts) out.push(await describe(s, mainName));
  return out;
}

async function describe(s: ServerRec, mainName: string): Promise<Vhost> {
  const c = coreServer(s);
  const sars: Sar[] = [];
  for (const a of c.addresses) sars.push(...(await resolveAddr(a)));
  let name = c.serverName?.host;
  if (!name) {
    if (sars.some((x) => x.ip === undefined)) name = mainName;
    else if (sars.length === 0) name = 'bogus_host_without_forward_dns';
    else name = (await reverseName(sars[0])) ?? 'bogus_host_without_reverse_dns';
  }
  return {
    name,
    file: s.section?.loc.file ?? '',
    line: s.section?.loc.line ?? 0,
    aliases: c.aliases,
    wildAliases: c.wildAliases,
    sars,
  };
}

/** The chains in dump order: specific addresses by hash bucket, then the wildcard list. */
function buildChains(vhosts: Vhost[]): Chain[] {
  const buckets: Chain[][] = Array.from({ length: 256 }, () => []);
  let defaults: Chain[] = [];
  const addName = (ic: Chain, vhost: Vhost, sar: Sar) => {
    if (ic.names.length || ic.server === undefined) {
      ic.names.unshift({ vhost, sar });
      ic.server = vhost;
    }
  };
  // httpd keeps vhosts in reverse config order and prepends, which yields config order.
  for (const v of [...vhosts].reverse()) {
    let prev: Sar | undefined;
    for (const sar of v.sars) {
      if (sar.ip === undefined) {
        const ic = findDefault(defaults, sar.port);
        if (ic && ic.sar.port === sar.port) {
          if (!prev || prev.ip !== undefined || prev.port !== sar.port) addName(ic, v, sar);
        } else {
          const n: Chain = { sar, names: [] };
          defaults = [n, ...defaults];
          addName(n, v, sar);
        }
      } else {
        let ic = findIp(buckets[sar.bucket], sar);
        if (!ic || ic.sar.port !== sar.port) {
          ic = { sar, names: [] };
          buckets[sar.bucket].unshift(ic);
        }
        addName(ic, v, sar);
      }
      prev = sar;
    }
  }
  return [...buckets.flat(), ...defaults];
}

function findDefault(list: Chain[], port: number): Chain | undefined {
  let wild: Chain | undefined;
  for (const ic of list) {
    if (ic.sar.port === port) return ic;
    if (!wild && ic.sar.port === 0) wild = ic;
  }
  return wild;
}

function findIp(list: Chain[], sa: Sar): Chain | undefined {
  let wild: Chain | undefined;
  for (const ic of list) {
    const same = ic.sar.ip === sa.ip && ic.sar.v6 === sa.v6;
    if (ic.sar.port === sa.port && same) return ic;
    if (!wild && (ic.sar.port === 0 || sa.port === 0) && same) wild = ic;
  }
  return wild;
}

function addrText(sar: Sar): string {
  const port = sar.port === 0 ? '*' : String(sar.port);
  if (sar.ip === undefined) return `*:${port}`;
  return sar.v6 ? `[${sar.ip}]:${port}` : `${sar.ip}:${port}`;
}

function shortIp(sar: Sar): Sar {
  // Print IPv6 addresses compressed (::1), as httpd's %pI does.
  if (sar.ip && sar.v6) return { ...sar, ip: ipaddr.parse(sar.ip).toString() };
  return sar;
}

/** The `VirtualHost configuration:` block (stdout). */
export async function vhostsText(state: WalkState, mainName?: string): Promise<string> {
  const name = mainName ?? (await mainServerName(state));
  const chains = buildChains(await collect(state, name));
  const lines = ['VirtualHost configuration:'];
  const pad8 = ' '.repeat(8);
  const pad16 = ' '.repeat(16);
  for (const ic of chains) {
    const server = ic.server;
    if (!server) continue;
    const head = addrText(shortIp(ic.sar)).padEnd(22);
    if (ic.names.length <= 1) {
      lines.push(`${head} ${server.name} (${server.file}:${server.line})`);
      continue;
    }
    lines.push(`${head} is a NameVirtualHost`);
    lines.push(`${pad8} default server ${server.name} (${server.file}:${server.line})`);
    for (const nc of ic.names) {
      const port = nc.sar.port ? `port ${nc.sar.port}` : 'port *';
      lines.push(`${pad8} ${port} namevhost ${nc.vhost.name} (${nc.vhost.file}:${nc.vhost.line})`);
      for (const a of nc.vhost.aliases) lines.push(`${pad16} alias ${a}`);
      for (const a of nc.vhost.wildAliases) lines.push(`${pad16} wild alias ${a}`);
    }
  }
  return lines.join('\n') + '\n';
}
