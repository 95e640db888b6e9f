import type { LintRule } from '../types.js';
import { httpsBackendWithoutSslProxyEngine } from './https-backend-without-sslproxyengine/rule.js';
import { notHonoured } from './not-honoured/rule.js';
import { openProxy } from './open-proxy/rule.js';
import { proxypassShadowed } from './proxypass-shadowed/rule.js';
import { proxypassTrailingSlash } from './proxypass-trailing-slash/rule.js';
import { proxypassreverseBalancer } from './proxypassreverse-balancer/rule.js';
import { retryDefault } from './retry-default/rule.js';
import { unsupportedBackend } from './unsupported-backend/rule.js';
import { unsupportedHandler } from './unsupported-handler/rule.js';
import { workerSharing } from './worker-sharing/rule.js';

/** Every lint rule, in the order findings at the same position are listed. */
export const allRules: LintRule[] = [
  notHonoured,
  openProxy,
  proxypassTrailingSlash,
  proxypassShadowed,
  workerSharing,
  httpsBackendWithoutSslProxyEngine,
  proxypassreverseBalancer,
  retryDefault,
  unsupportedBackend,
  unsupportedHandler,
];
