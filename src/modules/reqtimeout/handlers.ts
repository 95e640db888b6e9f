import type { Cmd } from '../../directives/types.js';

/** C strtol-like split: the leading integer and the rest, or a message. */
function parseInt10(s: string): { n: number; rest: string } | string {
  const m = /^\s*([+-]?\d+)(.*)$/s.exec(s);
  if (!m) return `Value '${s}' not numerical`;
  return { n: Number.parseInt(m[1], 10), rest: m[2] };
}

function whole(s: string): number | string {
  const r = parseInt10(s);
  if (typeof r === 'string') return r;
  if (r.rest !== '') return `Cannot parse '${r.rest}'`;
  return r.n;
}

/** mod_reqtimeout.c set_reqtimeout_param. */
function param(key: string, value: string): string | undefined {
  if (!['header', 'body', 'handshake'].includes(key.toLowerCase())) return 'Unknown RequestReadTimeout parameter';
  let val = value;
  let rateStr: string | undefined;
  const rateAt = val.toLowerCase().indexOf(',minrate=');
  if (rateAt >= 0) {
    rateStr = val.slice(rateAt + 9);
    val = val.slice(0, rateAt);
  }
  let maxStr: string | undefined;
  const dash = val.indexOf('-');
  if (dash >= 0) {
    if (rateStr === undefined) return 'Must set MinRate option if using timeout range';
    maxStr = val.slice(dash + 1);
    val = val.slice(0, dash);
  }
  const initial = whole(val);
  if (typeof initial === 'string') return initial;
  if (maxStr !== undefined) {
    const max = whole(maxStr);
    if (typeof max === 'string') return max;
    if (max <= initial) return 'Maximum timeout must be larger than initial timeout';
  }
  if (rateStr !== undefined) {
    const rate = whole(rateStr);
    if (typeof rate === 'string') return rate;
    if (rate <= 0) return 'Minimum data rate must be larger than 0';
  }
  return undefined;
}

/** `RequestReadTimeout key=value …` (checked as httpd does; featherd does not apply it). */
export function requestReadTimeout(_cmd: Cmd, words: string[]) {
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) return "Invalid RequestReadTimeout parameter. Parameter must be in the form 'key=value'";
    const key = word.slice(0, eq);
    const value = word.slice(eq + 1);
    const err = param(key, value);
    if (err) return `RequestReadTimeout: ${key}=${value}: ${err}`;
  }
  return undefined;
}
