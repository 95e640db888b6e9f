/** mod_proxy_hcheck's per-server record: health-check templates and condition expressions. */
import type { Loc } from '../../config/ast.js';
import type { Cmd, ModuleDef, ServerRec } from '../../directives/types.js';
import type { HealthCheck } from '../proxy/config.js';

export const HCHECK_MODULE_ID = 'proxy_hcheck_module';

export interface HcTemplate extends HealthCheck {
  name: string;
  loc: Loc;
}

export interface HcCondition {
  name: string;
  /** The ap_expr text (without the braces). */
  expr: string;
  loc: Loc;
}

export interface HcheckServerConfig {
  templates: HcTemplate[];
  /** Keyed by lower-cased name (httpd looks them up case-insensitively); a later definition replaces. */
  conditions: Map<string, HcCondition>;
  /** ProxyHCTPsize (main server only). */
  threadPoolSize?: number;
}

export function createHcheckServerConfig(): HcheckServerConfig {
  return { templates: [], conditions: new Map() };
}

/** The health-check record of the server a directive is in (httpd does not merge it into vhosts). */
export function hcheckConf(cmd: Cmd): HcheckServerConfig {
  const m = cmd.state.registry.moduleById(HCHECK_MODULE_ID);
  if (!m) return createHcheckServerConfig();
  return cmd.serverConfig(m as ModuleDef<HcheckServerConfig, unknown>);
}

/** The health-check record of a server as written in it. */
export function hcheckServer(server: ServerRec): HcheckServerConfig {
  for (const [m, v] of server.configs) if (m.id === HCHECK_MODULE_ID) return v as HcheckServerConfig;
  return createHcheckServerConfig();
}
