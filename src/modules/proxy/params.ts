/**
 * httpd's set_worker_param and set_balancer_param (mod_proxy.c): every `key=value` a worker or a
 * balancer accepts, validated with httpd's messages. Each setter returns the message or undefined.
 */
import type { Cmd } from '../../directives/types.js';
import { hcheckConf, HCHECK_MODULE_ID } from '../proxy_hcheck/config.js';
import { defaultHealthCheck, setHcParam } from '../proxy_hcheck/params.js';
import type { BalancerDef, BalancerParams, HealthCheck, StatusFlag, WorkerDef, WorkerParams } from './config.js';
import { isLoaded } from './config.js';
import { atof, atoi, atol, parseTimeoutParameter, toCInt } from './cstr.js';

const SEC = 1_000_000;
const AP_IOBUFSIZE = 8192;
const HUGE_STRING_LEN = 8192;
const ROUTE_SIZE = 64;
const SCHEME_SIZE = 16;
const SECRET_SIZE = 64;
const STICKY_SIZE = 64;
const PROVIDER_NAME_SIZE = 16;
const NONCE_SIZE = 37;

const STATUS_FLAGS: StatusFlag[] = ['O', 'I', 'N', 'G', 'U', 'D', 'S', 'E', 'H', 'R', 'F', 'C'];

/** lbmethod names and the modules that provide them. */
export const LBMETHODS: Record<string, string> = {
  byrequests: 'lbmethod_byrequests_module',
  bytraffic: 'lbmethod_bytraffic_module',
  bybusyness: 'lbmethod_bybusyness_module',
  heartbeat: 'lbmethod_heartbeat_module',
};

/*
 * A configuration can define tens of thousands of workers, and nearly all keep the default
 * status and health check: those records are shared, and a parameter that changes them puts a
 * new record in place (their types are read-only).
 */
const NO_STATUS: ReadonlySet<StatusFlag> = new Set();
const DEFAULT_HC: Readonly<HealthCheck> = Object.freeze(defaultHealthCheck());

/** The status of a worker outside any balancer: errors ignored (httpd sets PROXY_WORKER_IGNORE_ERRORS). */
export const IGNORE_ERRORS_STATUS: ReadonlySet<StatusFlag> = new Set<StatusFlag>(['I']);

/** Set-key lists shared between workers: from a list, the list with one more key (by the key as written). */
const nextLists = new WeakMap<readonly string[], Map<string, readonly string[]>>();

/**
 * Record that a worker parameter was set (its key, lower-cased). Workers usually set the same
 * keys in the same order, so equal lists are one shared, frozen list of exact length, reached
 * from the shorter one by the key added.
 */
export function markWorkerParam(worker: { set: readonly string[] }, key: string): void {
  const prev = worker.set;
  let byKey = nextLists.get(prev);
  if (byKey === undefined) {
    byKey = new Map();
    nextLists.set(prev, byKey);
  }
  let next = byKey.get(key);
  if (next === undefined) {
    const lower = key.toLowerCase();
    const made = new Array<string>(prev.length + 1);
    for (let i = 0; i < prev.length; i++) made[i] = prev[i];
    made[prev.length] = lower;
    next = Object.freeze(made);
    if (byKey.size < 64) byKey.set(key, next);
  }
  worker.set = next;
}

/**
 * The `key=value` words of ProxySet or of a `<Proxy>` line, applied in order to a worker or, when
 * there is none, a balancer. `bad` is the message for a word without `=`; `failed` makes the
 * message for a value the parameter refuses.
 */
export function applyParamWords(
  cmd: Cmd,
  target: { worker: WorkerDef } | { balancer: BalancerDef },
  words: readonly string[],
  bad: string,
  failed: (err: string, key: string, val: string) => string,
): string | undefined {
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) return bad;
    const key = word.slice(0, eq);
    const val = word.slice(eq + 1);
    const err = 'worker' in target ? setWorkerParam(cmd, target.worker.params, key, val) : setBalancerParam(cmd, target.balancer.params, key, val);
    if (err) return failed(err, key, val);
    if ('worker' in target) markWorkerParam(target.worker, key);
  }
  return undefined;
}

export function defaultWorkerParams(): WorkerParams {
  return { lbfactor: 100, flushPackets: 'off', flushWait: 10_000, lbset: 0, status: NO_STATUS, hc: DEFAULT_HC };
}

export function defaultBalancerParams(): BalancerParams {
  return {
    lbmethod: 'byrequests', lbmethodSet: true, stickySeparator: '.', stickySeparatorSet: false,
    failonstatus: [], forcerecovery: true, forcerecoverySet: false,
  };
}

function onOff(val: string): boolean | undefined {
  const v = val.toLowerCase();
  return v === 'on' ? true : v === 'off' ? false : undefined;
}

/** ap_proxy_set_wstatus over a `status=` value: `+`/`-` switch the mode for the letters that follow. */
export function applyStatus(w: { status: ReadonlySet<StatusFlag> }, val: string): string | undefined {
  const next = new Set(w.status);
  let add = true;
  for (let i = 0; i < val.length; i++) {
    if (val[i] === '+') {
      add = true;
      i++;
    } else if (val[i] === '-') {
      add = false;
      i++;
    }
    const f = (val[i] ?? '').toUpperCase() as StatusFlag;
    if (!STATUS_FLAGS.includes(f)) return 'Unknown status parameter option';
    if (add) next.add(f);
    else next.delete(f);
  }
  w.status = next;
  return undefined;
}

/** set_worker_param; unknown keys go to mod_proxy_hcheck when it is loaded. */
/** A time parameter in microseconds, or the message for a bad format (`fmt`) or a value under 1 ms (`min`). */
function timeParam(val: string, unit: 's' | 'ms', fmt: string, min: string): string | number {
  const t = parseTimeoutParameter(val, unit);
  if (t === undefined) return fmt;
  if (t < 1000) return min;
  return t;
}

/** A string parameter shorter than `size`, handed to `set`; else the message. */
function boundedParam(val: string, size: number, label: string, set: (v: string) => void): string | undefined {
  if (val.length >= size) return `${label} must be < ${size} characters`;
  set(val);
  return undefined;
}

export function setWorkerParam(cmd: Cmd, w: WorkerParams, key: string, val: string): string | undefined {
  const k = key.toLowerCase();
  switch (k) {
    case 'loadfactor': {
      const v = toCInt(atof(val) * 100);
      if (v < 100 || v > 10000) return 'LoadFactor must be a number between 1..100';
      w.lbfactor = v;
      return undefined;
    }
    case 'retry':
      if (atoi(val) < 0) return 'Retry must be a positive value';
      w.retry = atoi(val) * SEC;
      return undefined;
    case 'ttl':
      if (atoi(val) < 1) return 'TTL must be at least one second';
      w.ttl = atoi(val) * SEC;
      return undefined;
    case 'min':
      if (atoi(val) < 0) return 'Min must be a positive number';
      w.min = atoi(val);
      return undefined;
    case 'max':
      if (atoi(val) < 0) return 'Max must be a positive number';
      w.max = atoi(val);
      return undefined;
    case 'smax':
      if (atoi(val) < 0) return 'Smax must be a positive number';
      w.smax = atoi(val);
      return undefined;
    case 'acquire': {
      const t = timeParam(val, 'ms', 'Acquire timeout has wrong format', 'Acquire must be at least one millisecond');
      if (typeof t === 'string') return t;
      w.acquire = t;
      return undefined;
    }
    case 'timeout':
      if (atoi(val) < 1) return 'Timeout must be at least one second';
      w.timeout = atoi(val) * SEC;
      return undefined;
    case 'iobuffersize': {
      const s = atol(val);
      if (s < 512 && s) return 'IOBufferSize must be >= 512 bytes, or 0 for system default.';
      w.ioBufferSize = s || AP_IOBUFSIZE;
      return undefined;
    }
    case 'receivebuffersize':
      if (atoi(val) < 512 && atoi(val) !== 0) return 'ReceiveBufferSize must be >= 512 bytes, or 0 for system default.';
      w.receiveBufferSize = atoi(val);
      return undefined;
    case 'keepalive':
    case 'disablereuse':
    case 'enablereuse': {
      const v = onOff(val);
      if (v === undefined) {
        return k === 'keepalive' ? 'KeepAlive must be On|Off' : k === 'disablereuse' ? 'DisableReuse must be On|Off' : 'EnableReuse must be On|Off';
      }
      if (k === 'keepalive') w.keepalive = v;
      else w.disableReuse = k === 'disablereuse' ? v : !v;
      return undefined;
    }
    case 'route':
      return boundedParam(val, ROUTE_SIZE, 'Route length', (v) => (w.route = v));
    case 'redirect':
      return boundedParam(val, ROUTE_SIZE, 'Redirect length', (v) => (w.redirect = v));
    case 'status':
      return applyStatus(w, val);
    case 'flushpackets': {
      const v = val.toLowerCase();
      if (v !== 'on' && v !== 'off' && v !== 'auto') return 'flushpackets must be on|off|auto';
      w.flushPackets = v;
      return undefined;
    }
    case 'flushwait': {
      const v = atoi(val);
      if (v > 1000 || v < 0) return 'flushwait must be <= 1000, or 0 for system default of 10 millseconds.';
      w.flushWait = v === 0 ? 10_000 : v * 1000;
      return undefined;
    }
    case 'ping': {
      const t = timeParam(val, 's', 'Ping/Pong timeout has wrong format', 'Ping/Pong timeout must be at least one millisecond');
      if (typeof t === 'string') return t;
      w.ping = t;
      return undefined;
    }
    case 'lbset':
      if (atoi(val) < 0 || atoi(val) > 99) return 'lbset must be between 0 and 99';
      w.lbset = atoi(val);
      return undefined;
    case 'connectiontimeout': {
      const t = timeParam(val, 's', 'Connectiontimeout has wrong format', 'Connectiontimeout must be at least one millisecond.');
      if (typeof t === 'string') return t;
      w.connectionTimeout = t;
      return undefined;
    }
    case 'flusher':
      return boundedParam(val, SCHEME_SIZE, 'flusher name length', (v) => (w.flusher = v));
    case 'upgrade':
      if (val.length >= SCHEME_SIZE) return `upgrade protocol length must be < ${SCHEME_SIZE} characters`;
      w.upgrade = val.toLowerCase() === 'any' ? '*' : val;
      return undefined;
    case 'responsefieldsize': {
      const s = atol(val);
      if (s < 0) return 'ResponseFieldSize must be greater than 0 bytes, or 0 for system default.';
      w.responseFieldSize = s || HUGE_STRING_LEN;
      return undefined;
    }
    case 'secret':
      return boundedParam(val, SECRET_SIZE, 'Secret length', (v) => (w.secret = v));
    case 'addressttl': {
      const s = atol(val);
      if (s < -1 || s > 2147483647) return 'AddressTTL must be -1 or a number of seconds not exceeding (2147483647)';
      w.addressTtl = s;
      return undefined;
    }
    default:
      if (isLoaded(cmd, HCHECK_MODULE_ID)) {
        const hc = { ...w.hc };
        const err = setHcParam(hcheckConf(cmd), hc, key, val);
        if (!err) w.hc = hc;
        return err;
      }
      return 'unknown Worker parameter';
  }
}

/** set_balancer_param. */
export function setBalancerParam(cmd: Cmd, b: BalancerParams, key: string, val: string): string | undefined {
  const flag = (name: string, set: (v: boolean) => void): string | undefined => {
    const v = onOff(val);
    if (v === undefined) return `${name} must be On|Off`;
    set(v);
    return undefined;
  };
  switch (key.toLowerCase()) {
    case 'stickysession': {
      // httpd computes a length error here but does not return it: longer names are truncated.
      const v = val.slice(0, STICKY_SIZE - 1);
      const bar = v.indexOf('|');
      b.sticky = bar < 0 ? { cookie: v, path: v } : { cookie: v.slice(0, bar), path: v.slice(bar + 1) };
      return undefined;
    }
    case 'stickysessionsep':
      if (val.length !== 1) {
        if (val.toLowerCase() !== 'off') return 'stickysessionsep must be a single character or Off';
        b.stickySeparator = '';
      } else {
        b.stickySeparator = val;
      }
      b.stickySeparatorSet = true;
      return undefined;
    case 'nofailover':
      return flag('failover', (v) => (b.nofailover = v));
    case 'timeout': {
      const v = atoi(val);
      if (v < 1) return 'timeout must be at least one second';
      b.timeout = v * SEC;
      return undefined;
    }
    case 'maxattempts': {
      const v = atoi(val);
      if (v < 0) return 'maximum number of attempts must be a positive number';
      b.maxattempts = v;
      return undefined;
    }
    case 'lbmethod': {
      if (val.length > PROVIDER_NAME_SIZE - 1) return 'unknown lbmethod';
      const provider = LBMETHODS[val];
      if (!provider || !isLoaded(cmd, provider)) return 'unknown lbmethod';
      b.lbmethod = val;
      b.lbmethodSet = true;
      return undefined;
    }
    case 'scolonpathdelim':
      return flag('scolonpathdelim', (v) => (b.scolonpathdelim = v));
    case 'failonstatus': {
      const codes: number[] = [];
      for (const tok of val.split(/[, ]+/).filter((t) => t !== '')) {
        const c = atoi(tok);
        if (c < 100 || c > 599) return 'failonstatus must be one or more HTTP response codes';
        codes.push(c);
      }
      b.failonstatus = codes;
      return undefined;
    }
    case 'failontimeout':
      return flag('failontimeout', (v) => (b.failontimeout = v));
    case 'nonce':
      if (val.toLowerCase() === 'none') b.nonce = '';
      else if (val.length >= NONCE_SIZE) return 'Provided nonce is too large';
      else b.nonce = val;
      return undefined;
    case 'growth': {
      const v = atoi(val);
      if (v < 1 || v > 100) return 'growth must be between 1 and 100';
      b.growth = v;
      return undefined;
    }
    case 'forcerecovery':
      return flag('forcerecovery', (v) => {
        b.forcerecovery = v;
        b.forcerecoverySet = true;
      });
    default:
      return 'unknown Balancer parameter';
  }
}
