/**
 * The pure string functions of ap_expr and the helpers httpd uses for them: escape
 * (ap_escape_uri), unescape (ap_unescape_url_keep2f), base64 / unbase64 (apr_base64),
 * md5, sha1, ldap (apr_escape_ldap), tolower / toupper (ASCII only), apr_fnmatch, and
 * apr_atoi64 for integer comparisons. Strings are handled as their UTF-8 bytes, as httpd sees them.
 */

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** ASCII-only case mapping, as apr_tolower in the C locale. */
export const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
export const asciiUpper = (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

/** Characters ap_os_escape_path leaves alone. */
const PATH_SAFE = /[A-Za-z0-9$\-_.+!*'(),:;@&=/~]/;

/** ap_escape_uri: %-encode everything but alphanumerics and `$-_.+!*'(),:;@&=/~` (lower-case hex). */
export function escapeUri(s: string): string {
  let out = '';
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && PATH_SAFE.test(c) ? c : `%${hex2(b)}`;
  }
  return out;
}

/**
 * ap_unescape_url_keep2f: decode %XX except %2F (kept as written); a malformed escape or a
 * decoded NUL makes the whole result empty (httpd returns an error and the function yields "").
 */
export function unescapeUrl(s: string): string {
  const src = utf8(s);
  const out: number[] = [];
  let bad = false;
  const isHex = (b: number | undefined): boolean =>
    b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b !== 0x25) {
      out.push(b);
      continue;
    }
    if (!isHex(src[i + 1]) || !isHex(src[i + 2])) {
      bad = true;
      out.push(b);
      continue;
    }
    const decoded = parseInt(String.fromCharCode(src[i + 1], src[i + 2]), 16);
    if (decoded === 0) {
      bad = true;
      i += 2;
    } else if (decoded === 0x2f) {
      out.push(src[i], src[i + 1], src[i + 2]);
      i += 2;
    } else {
      out.push(decoded);
      i += 2;
    }
  }
  return bad ? '' : Buffer.from(out).toString('utf8');
}

export const base64Encode = (s: string): string => utf8(s).toString('base64');

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** apr_base64_decode: decode the leading run of alphabet characters; stop at a NUL byte. */
export function base64Decode(s: string): string {
  let n = 0;
  while (n < s.length && B64.includes(s[n])) n++;
  const v = (i: number): number => B64.indexOf(s[i]);
  const out: number[] = [];
  let i = 0;
  let left = n;
  while (left > 4) {
    out.push(((v(i) << 2) | (v(i + 1) >> 4)) & 0xff, ((v(i + 1) << 4) | (v(i + 2) >> 2)) & 0xff, ((v(i + 2) << 6) | v(i + 3)) & 0xff);
    i += 4;
    left -= 4;
  }
  if (left > 1) out.push(((v(i) << 2) | (v(i + 1) >> 4)) & 0xff);
  if (left > 2) out.push(((v(i + 1) << 4) | (v(i + 2) >> 2)) & 0xff);
  if (left > 3) out.push(((v(i + 2) << 6) | v(i + 3)) & 0xff);
  const nul = out.indexOf(0);
  return Buffer.from(nul < 0 ? out : out.slice(0, nul)).toString('utf8');
}

/** node:crypto, loaded on first use: loading it costs every start of featherd time that configtest does not need. */
const createHash: typeof import('node:crypto').createHash = (algorithm, options) =>
  process.getBuiltinModule('node:crypto').createHash(algorithm, options);

export const md5Hex = (s: string): string => createHash('md5').update(utf8(s)).digest('hex');
export const sha1Hex = (s: string): string => createHash('sha1').update(utf8(s)).digest('hex');

/** apr_escape_ldap(…, APR_ESCAPE_LDAP_ALL): RFC 4514 and RFC 4515 specials, controls and non-ASCII as `\xx`. */
export function ldapEscape(s: string): string {
  let out = '';
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    out += b < 0x20 || b >= 0x7f || '"+,;<>\\()*'.includes(c) ? `\\${hex2(b)}` : c;
  }
  return out;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** apr_atoi64 (strtoll base 10): leading space, sign, digits; anything else ends it; clamps. */
export function atoi64(s: string): bigint {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]*)/.exec(s);
  if (!m || m[2] === '') return 0n;
  let v = BigInt(m[2]);
  if (m[1] === '-') v = -v;
  return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v;
}

/** strcmp on the UTF-8 bytes. */
export const byteCompare = (a: string, b: string): number => Buffer.compare(utf8(a), utf8(b));

/**
 * apr_fnmatch: `*`, `?`, `[…]` (with `!` or `^` negation and ranges), `\` escapes.
 * `pathname`: wildcards and brackets never match `/`. `icase`: APR_FNM_CASE_BLIND.
 */
export function fnmatch(pattern: string, str: string, opts: { pathname?: boolean; icase?: boolean }): boolean {
  const any = opts.pathname ? '[^/]' : '[^]';
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]);
    } else if (c === '*') {
      re += `${any}*`;
    } else if (c === '?') {
      re += any;
    } else if (c === '[') {
      const cls = bracket(pattern, i + 1, !!opts.pathname);
      if (cls) {
        re += cls.re;
        i = cls.end;
      } else {
        re += '\\[';
      }
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(`^${re}$`, opts.icase ? 'i' : '').test(str);
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

/** A bracket expression starting after `[`; undefined when it is not closed (then `[` is literal). */
function bracket(p: string, start: number, pathname: boolean): { re: string; end: number } | undefined {
  let i = start;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length) {
    let c = p[i];
    if (c === ']' && !first) break;
    first = false;
    if (c === '\\' && i + 1 < p.length) c = p[++i];
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      let hi = p[i + 2];
      let skip = 2;
      if (hi === '\\' && i + 3 < p.length) {
        hi = p[i + 3];
        skip = 3;
      }
      if (hi >= c) body += `${escapeClass(c)}-${escapeClass(hi)}`;
      i += skip + 1;
      continue;
    }
    body += escapeClass(c);
    i++;
  }
  if (i >= p.length) return undefined;
  const slash = pathname ? '/' : '';
  if (negate) return { re: `[^${body}${slash ? '\\/' : ''}]`, end: i };
  if (body === '') return { re: '(?!)', end: i };
  return { re: pathname ? `(?!\\/)[${body}]` : `[${body}]`, end: i };
}

function escapeClass(c: string): string {
  return /[\\\]^-]/.test(c) ? `\\${c}` : c;
}
