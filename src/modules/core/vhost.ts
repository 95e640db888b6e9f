import type { ConfigSection } from '../../config/ast.js';
import type { Cmd } from '../../directives/types.js';
import { GLOBAL_ONLY } from '../../directives/types.js';
import { parseAddrPort } from './addr.js';
import { coreServer, type VhostAddr } from './config.js';
import { sectionArgs } from './sections.js';

/**
 * One word of `<VirtualHost …>` (vhost.c get_addresses). `defaultPort` is the main server's
 * port at this point of the file (from a `ServerName host:port` seen earlier, else 0).
 */
export function parseVhostAddr(word: string, defaultPort: number): VhostAddr | string {
  let w = word;
  let wildcardPort = false;
  if (w.length > 1 && w.endsWith('*') && w[w.length - 2] === ':') {
    w = w.slice(0, -2);
    wildcardPort = true;
  }
  const p = parseAddrPort(w);
  if (!p) return 'The address or port is invalid';
  if (p.host === undefined) return 'Missing address for VirtualHost';
  let port = p.port;
  if (!port && !wildcardPort) port = defaultPort;
  const wildcard = p.host === '*' || p.host.toLowerCase() === '_default_';
  return { text: word, host: wildcard ? '*' : p.host, wildcard, ipv6: p.ipv6, port };
}

/** `<VirtualHost addr …>` (core.c virtualhost_section, config.c ap_init_virtual_host). */
export function virtualHostSection(cmd: Cmd, _args: string[], raw: string) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  const a = sectionArgs(cmd, raw);
  if (typeof a === 'string') return a;
  if (cmd.server.isVirtual) return "<VirtualHost> doesn't nest!";
  const section = cmd.node as ConfigSection;
  const main = coreServer(cmd.state.mainServer);
  const addresses: VhostAddr[] = [];
  for (const word of section.args) {
    if (word === '') continue;
    const r = parseVhostAddr(word, main.port);
    if (typeof r === 'string') return r;
    addresses.push(r);
  }
  const server = cmd.state.newServer(section);
  const conf = coreServer(server);
  conf.addresses = addresses;
  // "useful default, otherwise we get a port of 0 on redirects"
  conf.port = main.port;
  cmd.state.vhosts.push(server);
  return cmd.walk(section.children, { override: cmd.override, server, dirConfigs: server.dirConfigs });
}
