import { createRegistry } from '../directives/registry.js';
import type { ModuleDef, Registry } from '../directives/types.js';
import { coreModule } from './core/module.js';
import { httpCoreModule } from './http_core/module.js';
import { soModule } from './so/module.js';
import { watchdogModule } from './watchdog/module.js';
import { logConfigModule } from './log_config/module.js';
import { logioModule } from './logio/module.js';
import { versionModule } from './version/module.js';
import { unixdModule } from './unixd/module.js';
import { mpmEventModule } from './mpm_event/module.js';
import { mpmWorkerModule } from './mpm_worker/module.js';
import { mpmPreforkModule } from './mpm_prefork/module.js';
import { envModule } from './env/module.js';
import { setenvifModule } from './setenvif/module.js';
import { aliasModule } from './alias/module.js';
import { dirModule } from './dir/module.js';
import { mimeModule } from './mime/module.js';
import { reqtimeoutModule } from './reqtimeout/module.js';
import { statusModule } from './status/module.js';
import { infoModule } from './info/module.js';
import { autoindexModule } from './autoindex/module.js';
import { negotiationModule } from './negotiation/module.js';
import { deflateModule } from './deflate/module.js';
import { filterModule } from './filter/module.js';
import { expiresModule } from './expires/module.js';
import { macroModule } from './macro/module.js';
import { proxyModule } from './proxy/module.js';
import { proxyHttpModule } from './proxy_http/module.js';
import { proxyBalancerModule } from './proxy_balancer/module.js';
import { lbmethodByrequestsModule } from './lbmethod_byrequests/module.js';
import { lbmethodBytrafficModule } from './lbmethod_bytraffic/module.js';
import { lbmethodBybusynessModule } from './lbmethod_bybusyness/module.js';
import { lbmethodHeartbeatModule } from './lbmethod_heartbeat/module.js';
import { proxyHcheckModule } from './proxy_hcheck/module.js';
import { proxyConnectModule } from './proxy_connect/module.js';
import { proxyWstunnelModule } from './proxy_wstunnel/module.js';
import { proxyFcgiModule } from './proxy_fcgi/module.js';
import { proxyAjpModule } from './proxy_ajp/module.js';
import { proxyScgiModule } from './proxy_scgi/module.js';
import { proxyUwsgiModule } from './proxy_uwsgi/module.js';
import { proxyHttp2Module } from './proxy_http2/module.js';
import { slotmemShmModule } from './slotmem_shm/module.js';
import { socacheShmcbModule } from './socache_shmcb/module.js';
import { authzCoreModule } from './authz_core/module.js';
import { authzHostModule } from './authz_host/module.js';
import { authzUserModule } from './authz_user/module.js';
import { authzGroupfileModule } from './authz_groupfile/module.js';
import { authnCoreModule } from './authn_core/module.js';
import { authnFileModule } from './authn_file/module.js';
import { authBasicModule } from './auth_basic/module.js';
import { accessCompatModule } from './access_compat/module.js';
import { headersModule } from './headers/module.js';
import { rewriteModule } from './rewrite/module.js';
import { sslModule } from './ssl/module.js';
import { remoteipModule } from './remoteip/module.js';
import { http2Module } from './http2/module.js';

/** Every module featherd knows, in httpd's usual load order (built-ins as Debian's apache2 lists them). */
export const allModules: ModuleDef[] = [
  coreModule,
  soModule,
  watchdogModule,
  httpCoreModule,
  logConfigModule,
  logioModule,
  versionModule,
  unixdModule,
  mpmEventModule,
  mpmWorkerModule,
  mpmPreforkModule,
  envModule,
  setenvifModule,
  aliasModule,
  dirModule,
  mimeModule,
  reqtimeoutModule,
  statusModule,
  infoModule,
  autoindexModule,
  negotiationModule,
  deflateModule,
  filterModule,
  expiresModule,
  macroModule,
  proxyModule,
  proxyHttpModule,
  proxyBalancerModule,
  lbmethodByrequestsModule,
  lbmethodBytrafficModule,
  lbmethodBybusynessModule,
  lbmethodHeartbeatModule,
  proxyHcheckModule,
  proxyConnectModule,
  proxyWstunnelModule,
  proxyFcgiModule,
  proxyAjpModule,
  proxyScgiModule,
  proxyUwsgiModule,
  proxyHttp2Module,
  slotmemShmModule,
  socacheShmcbModule,
  authzCoreModule,
  authzHostModule,
  authzUserModule,
  authzGroupfileModule,
  authnCoreModule,
  authnFileModule,
  authBasicModule,
  accessCompatModule,
  headersModule,
  rewriteModule,
  sslModule,
  remoteipModule,
  http2Module,
];

let cached: Registry | undefined;

/** The registry of all known modules (built once). */
export function defaultRegistry(): Registry {
  cached ??= createRegistry(allModules);
  return cached;
}
