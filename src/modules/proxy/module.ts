import type { ModuleDef } from '../../directives/types.js';
import type { ProxyDirConfig, ProxyServerConfig } from './config.js';
import {
  createProxyDirConfig,
  createProxyServerConfig,
  mergeProxyDirConfig,
  mergeProxyServerConfig,
} from './config.js';
import { proxyDirectives } from './directives.js';

/** mod_proxy.c: ProxyPass and friends, workers, balancers, <Proxy> sections. */
export const proxyModule: ModuleDef<ProxyServerConfig, ProxyDirConfig> = {
  id: 'proxy_module',
  file: 'mod_proxy.c',
  createServerConfig: createProxyServerConfig,
  mergeServerConfig: mergeProxyServerConfig,
  createDirConfig: createProxyDirConfig,
  mergeDirConfig: mergeProxyDirConfig,
  directives: proxyDirectives,
};
