import type { ModuleDef } from '../../directives/types.js';
import type { HcheckServerConfig } from './config.js';
import { createHcheckServerConfig } from './config.js';
import { hcheckDirectives } from './directives.js';

/**
 * mod_proxy_hcheck.c: health checks of workers. Its `hc*` worker parameters are accepted by
 * ProxyPass, BalancerMember and ProxySet only while it is loaded. Like httpd, its per-server
 * record is not merged: a vhost sees only the templates and expressions defined in it.
 */
export const proxyHcheckModule: ModuleDef<HcheckServerConfig, unknown> = {
  id: 'proxy_hcheck_module',
  file: 'mod_proxy_hcheck.c',
  requires: ['proxy_module'],
  createServerConfig: createHcheckServerConfig,
  directives: hcheckDirectives,
};
