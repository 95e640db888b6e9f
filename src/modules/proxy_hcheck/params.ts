/** mod_proxy_hcheck's set_worker_hc_param: the `hc*` worker parameters and template keys. */
import { atoi, parseTimeoutParameter } from '../proxy/cstr.js';
import type { HcMethod, HealthCheck } from '../proxy/config.js';
import type { HcheckServerConfig } from './config.js';

const METHODS: { name: HcMethod; implemented: boolean }[] = [
  { name: 'NONE', implemented: true },
  { name: 'TCP', implemented: true },
  { name: 'OPTIONS', implemented: true },
  { name: 'HEAD', implemented: true },
  { name: 'GET', implemented: true },
  { name: 'CPING', implemented: false },
  { name: 'PROVIDER', implemented: false },
  { name: 'OPTIONS11', implemented: true },
  { name: 'HEAD11', implemented: true },
  { name: 'GET11', implemented: true },
];

/** AP_WD_TM_SLICE: the watchdog's tick, 100 ms. */
const MIN_INTERVAL = 100_000;
/** sizeof(worker->s->hcuri) */
const HCURI_SIZE = 64;

/** Default health-check settings of a new worker (30 s interval, 1 pass, 1 fail, no method). */
export function defaultHealthCheck(): HealthCheck {
  return { method: 'NONE', interval: 30_000_000, passes: 1, fails: 1 };
}

/**
 * Apply one `hc*` key to a worker's or a template's settings. Returns httpd's error text, or
 * undefined. `target` is changed only on success.
 */
export function setHcParam(ctx: HcheckServerConfig, target: HealthCheck, key: string, val: string): string | undefined {
  const k = key.toLowerCase();
  if (k === 'hctemplate') {
    const t = ctx.templates.find((x) => x.name.toLowerCase() === val.toLowerCase());
    if (!t) return `Unknown ProxyHCTemplate name: ${val}`;
    target.method = t.method;
    target.interval = t.interval;
    target.passes = t.passes;
    target.fails = t.fails;
    target.uri = t.uri;
    target.expr = t.expr;
    return undefined;
  }
  if (k === 'hcmethod') {
    const m = METHODS.find((x) => x.name.toLowerCase() === val.toLowerCase());
    if (!m) return 'Unknown method';
    if (!m.implemented) return `Health check method ${val} not (yet) implemented`;
    target.method = m.name;
    return undefined;
  }
  if (k === 'hcinterval') {
    const t = parseTimeoutParameter(val, 's');
    if (t === undefined) return 'Unparse-able hcinterval setting';
    if (t < MIN_INTERVAL) return 'Interval must be a positive value greater than 100ms';
    target.interval = t;
    return undefined;
  }
  if (k === 'hcpasses' || k === 'hcfails') {
    const n = atoi(val);
    if (n < 0) return k === 'hcpasses' ? 'Passes must be a positive value' : 'Fails must be a positive value';
    if (k === 'hcpasses') target.passes = n;
    else target.fails = n;
    return undefined;
  }
  if (k === 'hcuri') {
    if (val.length >= HCURI_SIZE) return `Health check uri length must be < ${HCURI_SIZE} characters`;
    target.uri = val;
    return undefined;
  }
  if (k === 'hcexpr') {
    if (!ctx.conditions.has(val.toLowerCase())) return `Unknown health check condition expr: ${val}`;
    if (val.length >= HCURI_SIZE) return `Health check uri length must be < ${HCURI_SIZE} characters`;
    target.expr = val;
    return undefined;
  }
  return 'unknown Worker hcheck parameter';
}
