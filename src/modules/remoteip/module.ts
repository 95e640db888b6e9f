import fs from 'node:fs';
import type { Cmd, ModuleDef } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { serverRootRelative } from '../authz_core/path.js';
import { APR_MESSAGES, parseIpSubnet } from '../authz_host/ipsubnet.js';
import { strerror } from '../../util/fs.js';
import type { RemoteIpServerConfig } from './config.js';
import { createRemoteIpConfig, mergeRemoteIpConfig } from './config.js';

/** mod_remoteip.c */
export const remoteipModule: ModuleDef<RemoteIpServerConfig, unknown> = {
  id: 'remoteip_module',
  file: 'mod_remoteip.c',
  createServerConfig: createRemoteIpConfig,
  mergeServerConfig: mergeRemoteIpConfig,
  directives: [],
};

/** Resolve a host name at config time, as httpd does (apr_sockaddr_info_get). */
function resolve(host: string): string[] | undefined {
  try {
    // node:child_process is loaded here, when a name is resolved, not at every start.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const out = execFileSync('getent', ['ahosts', host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const ips = [...new Set(out.split('\n').map((l) => l.split(/\s+/)[0]).filter((x) => x))];
    return ips.length ? ips : undefined;
  } catch {
    return undefined;
  }
}

/** proxies_set: one address, subnet or host name of RemoteIP(Trusted|Internal)Proxy(List). */
function addProxy(cmd: Cmd, arg: string, internal: boolean): string | undefined {
  const slash = arg.indexOf('/');
  const ip = slash >= 0 ? arg.slice(0, slash) : arg;
  const mask = slash >= 0 ? arg.slice(slash + 1) : undefined;
  const conf = cmd.serverConfig(remoteipModule);
  const list = (conf.proxies ??= []);
  const looksLikeIp = ip.includes(':') || /^[0-9.]*$/.test(ip);
  const fail = (why: string) => `RemoteIP: Error parsing IP ${arg} (${why} error) for ${cmd.entry.name}`;
  if (looksLikeIp) {
    const r = parseIpSubnet(ip, mask);
    if (typeof r === 'string') return fail(r === 'EINVAL' ? 'Invalid argument' : APR_MESSAGES[r]);
    list.push({ subnet: r, internal });
    return undefined;
  }
  if (mask !== undefined) return `RemoteIP: Error parsing IP ${arg} the subnet /${mask} is invalid for ${cmd.entry.name}`;
  const ips = resolve(ip);
  if (!ips) return fail('Name or service not known');
  for (const a of ips) {
    const r = parseIpSubnet(a);
    if (typeof r !== 'string') list.push({ subnet: r, internal });
  }
  return undefined;
}

/** proxylist_read: one address per word, `#` starts a comment. */
function addProxyList(cmd: Cmd, file: string, internal: boolean): string | undefined {
  const path = serverRootRelative(cmd, file);
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    return `${cmd.entry.name}: Could not open file ${path}: ${strerror(e)}`;
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const hash = lines[i].indexOf('#');
    const body = hash >= 0 ? lines[i].slice(0, hash) : lines[i];
    for (const w of body.split(/\s+/).filter((x) => x)) {
      const err = addProxy(cmd, w, internal);
      if (err) return `${err} at line ${i + 1} of ${path}`;
    }
  }
  return undefined;
}

remoteipModule.directives.push(
  {
    name: 'RemoteIPHeader',
    args: 'TAKE1',
    contexts: RSRC_CONF,
    help: 'Specifies a request header to trust as the client IP, e.g. X-Forwarded-For',
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      cmd.serverConfig(remoteipModule).header = args[0];
      return undefined;
    },
  },
  {
    name: 'RemoteIPProxiesHeader',
    args: 'TAKE1',
    contexts: RSRC_CONF,
    help: "Specifies a request header to record proxy IP's, e.g. X-Forwarded-By; if not given then do not record",
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      cmd.serverConfig(remoteipModule).proxiesHeader = args[0];
      return undefined;
    },
  },
  {
    name: 'RemoteIPTrustedProxy',
    args: 'ITERATE',
    contexts: RSRC_CONF,
    help: 'Specifies one or more proxies which are trusted to present IP headers',
    support: 'yes',
    handler: (cmd: Cmd, args: string[]) => addProxy(cmd, args[0], false),
  },
  {
    name: 'RemoteIPInternalProxy',
    args: 'ITERATE',
    contexts: RSRC_CONF,
    help: 'Specifies one or more internal (transparent) proxies which are trusted to present IP headers',
    support: 'yes',
    handler: (cmd: Cmd, args: string[]) => addProxy(cmd, args[0], true),
  },
  {
    name: 'RemoteIPTrustedProxyList',
    args: 'TAKE1',
    contexts: RSRC_CONF,
    help: 'The filename to read the list of trusted proxies, see the RemoteIPTrustedProxy directive',
    support: 'yes',
    handler: (cmd: Cmd, args: string[]) => addProxyList(cmd, args[0], false),
  },
  {
    name: 'RemoteIPInternalProxyList',
    args: 'TAKE1',
    contexts: RSRC_CONF,
    help: 'The filename to read the list of internal proxies, see the RemoteIPInternalProxy directive',
    support: 'yes',
    handler: (cmd: Cmd, args: string[]) => addProxyList(cmd, args[0], true),
  },
  {
    name: 'RemoteIPProxyProtocol',
    args: 'FLAG',
    contexts: RSRC_CONF,
    help: "Enable PROXY protocol handling ('on', 'off')",
    support: 'ignored',
    note: 'connections are not read for a PROXY protocol header',
    handler(cmd: Cmd, args: string[]) {
      cmd.serverConfig(remoteipModule).proxyProtocol = args[0] === 'On';
      return undefined;
    },
  },
  {
    name: 'RemoteIPProxyProtocolExceptions',
    args: 'ITERATE',
    contexts: RSRC_CONF,
    help: 'Disable PROXY protocol handling for this list of networks in CIDR format',
    support: 'ignored',
    note: 'PROXY protocol headers are not read (RemoteIPProxyProtocol)',
    handler(cmd: Cmd, args: string[]) {
      const w = args[0];
      const slash = w.indexOf('/');
      const r = slash >= 0 ? parseIpSubnet(w.slice(0, slash), w.slice(slash + 1)) : parseIpSubnet(w);
      if (r === 'EINVAL') return `ip address '${w}' appears to be invalid`;
      if (typeof r === 'string') return `ip address '${w}' appears to be invalid: ${APR_MESSAGES[r]}`;
      cmd.serverConfig(remoteipModule).proxyProtocolExceptions.push(r);
      return undefined;
    },
  },
);

/** mod_remoteip's record of a server (main or vhost). */
export function remoteipConfig(configs: Map<ModuleDef, unknown>): RemoteIpServerConfig | undefined {
  return configs.get(remoteipModule as ModuleDef) as RemoteIpServerConfig | undefined;
}
