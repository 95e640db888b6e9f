import type { IpSubnet } from '../authz_host/ipsubnet.js';

/** One trusted or internal proxy address block. */
export interface RemoteIpProxy {
  subnet: IpSubnet;
  /** RemoteIPInternalProxy(List): also trusts private addresses in the header. */
  internal: boolean;
}

/** Per-server record of mod_remoteip. */
export interface RemoteIpServerConfig {
  header?: string;
  proxiesHeader?: string;
  /** Trusted and internal proxies in config order (undefined: none configured). */
  proxies?: RemoteIpProxy[];
  proxyProtocol?: boolean;
  proxyProtocolExceptions: IpSubnet[];
}

export function createRemoteIpConfig(): RemoteIpServerConfig {
  return { proxyProtocolExceptions: [] };
}

/** A vhost inherits what it does not set; proxy lists from both are merged (AH10633). */
export function mergeRemoteIpConfig(base: RemoteIpServerConfig, add: RemoteIpServerConfig): RemoteIpServerConfig {
  return {
    header: add.header ?? base.header,
    proxiesHeader: add.proxiesHeader ?? base.proxiesHeader,
    proxies: add.proxies && base.proxies ? [...base.proxies, ...add.proxies] : (add.proxies ?? base.proxies),
    proxyProtocol: add.proxyProtocol ?? base.proxyProtocol,
    proxyProtocolExceptions: [...base.proxyProtocolExceptions, ...add.proxyProtocolExceptions],
  };
}
