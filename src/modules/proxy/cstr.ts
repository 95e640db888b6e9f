/**
 * The C library number and string parsing that httpd's proxy handlers rely on, reproduced so
 * that featherd accepts and rejects exactly the same values (`atoi("30s")` is 30, `atoi("x")` 0).
 */

const isSpace = (c: string | undefined): boolean => c !== undefined && ' \t\n\v\f\r'.includes(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** strtol(s, &end, base) for base 10 or 0: the value (clamped to 64 bits) and the index where parsing stopped. */
export function strtol(s: string, base: 0 | 10 = 10): { value: bigint; end: number } {
  let i = 0;
  while (isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  let radix = 10;
  if (base === 0) {
    if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
      radix = 16;
      i += 2;
    } else if (s[i] === '0') {
      radix = 8;
    }
  }
  const digitRe = radix === 16 ? /[0-9a-fA-F]/ : radix === 8 ? /[0-7]/ : /[0-9]/;
  const start = i;
  let v = 0n;
  while (i < s.length && digitRe.test(s[i])) {
    v = v * BigInt(radix) + BigInt(parseInt(s[i], radix));
    i++;
  }
  if (i === start) return { value: 0n, end: 0 };
  if (neg) v = -v;
  const max = (1n << 63n) - 1n;
  const min = -(1n << 63n);
  if (v > max) v = max;
  if (v < min) v = min;
  return { value: v, end: i };
}

/** isspace in the C locale on a character code: space, \t, \n, \v, \f, \r. */
function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * strtol(s, NULL, 10) when the digits are at most `maxDigits` (so that the value is exact in a
 * double and needs no clamping or truncation); undefined for longer numbers.
 */
function shortDecimal(s: string, maxDigits: number): number | undefined {
  const n = s.length;
  let i = 0;
  while (i < n && isSpaceCode(s.charCodeAt(i))) i++;
  let neg = false;
  const sign = s.charCodeAt(i);
  if (sign === 43 || sign === 45) {
    neg = sign === 45;
    i++;
  }
  const start = i;
  let v = 0;
  for (; i < n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    if (i - start >= maxDigits) return undefined;
    v = v * 10 + d;
  }
  return neg && v !== 0 ? -v : v;
}

/** C's atol (64-bit long). */
export function atol(s: string): number {
  return shortDecimal(s, 15) ?? Number(strtol(s).value);
}

/** C's atoi: strtol truncated to a 32-bit int. */
export function atoi(s: string): number {
  return shortDecimal(s, 9) ?? Number(BigInt.asIntN(32, strtol(s).value));
}

/** C's atof (decimal forms only; anything unparsable is 0). */
export function atof(s: string): number {
  const v = parseFloat(s);
  return Number.isNaN(v) ? 0 : v;
}

/** A double converted to C int (truncation toward zero, saturated). */
export function toCInt(v: number): number {
  if (!Number.isFinite(v)) return v > 0 ? 2147483647 : -2147483648;
  const t = Math.trunc(v);
  return Math.max(-2147483648, Math.min(2147483647, t));
}

/**
 * httpd's ap_timeout_parameter_parse: a number with an optional unit (`ms`, `s`, `mi[n]`, `h`;
 * only the first letters are looked at), the default unit when none is given.
 * Returns microseconds, or undefined when the format is wrong.
 */
export function parseTimeoutParameter(value: string, defaultUnit: 's' | 'ms'): number | undefined {
  const { value: n, end } = strtol(value);
  const rest = value.slice(end);
  if (n < 0n) return undefined;
  return unitTimes(Number(n), rest === '' ? defaultUnit : rest);
}

function unitTimes(tout: number, unit: string): number | undefined {
  switch (unit[0]) {
    case 's':
      return tout * 1_000_000;
    case 'h':
      return tout * 3600 * 1_000_000;
    case 'm':
      if (unit[1] === 's') return tout * 1000;
      if (unit[1] === 'i') return tout * 60 * 1_000_000;
      return undefined;
    default:
      return undefined;
  }
}

/** apr_fnmatch_test: whether a pattern contains glob characters (`*`, `?`, or a `[…]` pair). */
export { hasWildcard as fnmatchTest } from '../../config/fnmatch.js';

/** ap_getword_conf over raw argument text: the next word (quotes honoured) and the rest. */
export function getwordConf(line: string): { word: string; rest: string } {
  let i = 0;
  while (isSpace(line[i])) i++;
  if (i >= line.length) return { word: '', rest: '' };
  const q = line[i];
  let word: string;
  let j: number;
  if (q === '"' || q === "'") {
    j = i + 1;
    while (j < line.length && line[j] !== q) {
      if (line[j] === '\\' && (line[j + 1] === q || line[j + 1] === '\\')) j++;
      j++;
    }
    word = unescape(line.slice(i + 1, j), q);
    if (j < line.length) j++;
  } else {
    j = i;
    while (j < line.length && !isSpace(line[j])) j++;
    word = line.slice(i, j);
  }
  while (isSpace(line[j])) j++;
  return { word, rest: line.slice(j) };
}

/** ap_getword_conf2: like getwordConf, but `{…}` (nested braces allowed) is one word without the braces. */
export function getwordConf2(line: string): { word: string; rest: string } {
  let i = 0;
  while (isSpace(line[i])) i++;
  if (i >= line.length) return { word: '', rest: '' };
  const q = line[i];
  if (q === '"' || q === "'") return getwordConf(line.slice(i));
  let j: number;
  let word: string;
  if (q === '{') {
    let count = 1;
    j = i + 1;
    while (j < line.length) {
      if (line[j] === '}' && !--count) break;
      if (line[j] === '{') ++count;
      if (line[j] === '\\' && line[j + 1] === '\\') j++;
      j++;
    }
    word = unescape(line.slice(i + 1, j), '');
    if (line[j] === '}') j++;
  } else {
    j = i;
    while (j < line.length && !isSpace(line[j])) j++;
    word = unescape(line.slice(i, j), '');
  }
  while (isSpace(line[j])) j++;
  return { word, rest: line.slice(j) };
}

function unescape(s: string, quote: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && (s[i + 1] === '\\' || (quote !== '' && s[i + 1] === quote))) {
      out += s[++i];
    } else {
      out += s[i];
    }
  }
  return out;
}

export { isDigit, isSpace };
