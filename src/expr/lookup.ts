/**
 * Name resolution for ap_expr, done while parsing as httpd does (core_expr_lookup and
 * expr_lookup_not_found in server/util_expr_eval.c, plus mod_ssl's hook): variables,
 * string functions, list functions, unary and binary operators. Unknown names are
 * configuration errors with httpd's texts (`Variable 'X' does not exist`, …).
 */
import { parseIpSubnet, type IpSubnet } from '../modules/authz_host/ipsubnet.js';

/** Options that change which names exist, as httpd's parse flags and loaded modules do. */
export interface ParseOptions {
  /**
   * AP_EXPR_FLAG_RESTRICTED (used by mod_include): file access (`file`, `filesize`, `-d`, `-e`,
   * `-f`, `-s`, `-L`, `-h`, `-x`) is refused.
   */
  restricted?: boolean;
  /** mod_ssl is loaded: `%{SSL_*}` variables, the `SSL` function and the `PeerExtList` list function exist. */
  ssl?: boolean;
  /**
   * Variables a loaded module adds (httpd's expr_lookup hook, e.g. mod_proxy_hcheck's HC_*),
   * tried after the built-in names: return the canonical name, or undefined when unknown.
   * Their values are asked from ExprContext.var.
   */
  extraVar?(name: string): string | undefined;
  /** Functions a loaded module adds (e.g. mod_proxy_hcheck's hc()); evaluated by ExprContext.func. */
  extraFunc?(name: string): string | undefined;
}

export type Lookup<T> = { ok: true; value: T } | { ok: false; error: string };

/** Variables whose value comes from a request header (name → header). */
export const HEADER_VARS: Record<string, string> = {
  HTTP_USER_AGENT: 'User-Agent',
  HTTP_PROXY_CONNECTION: 'Proxy-Connection',
  HTTP_REFERER: 'Referer',
  HTTP_COOKIE: 'Cookie',
  HTTP_FORWARDED: 'Forwarded',
  HTTP_HOST: 'Host',
  HTTP_ACCEPT: 'Accept',
};

/** Variables that do not depend on the request: evaluated by featherd itself. */
export const MISC_VARS = [
  'TIME_YEAR',
  'TIME_MON',
  'TIME_DAY',
  'TIME_HOUR',
  'TIME_MIN',
  'TIME_SEC',
  'TIME_WDAY',
  'TIME',
  'SERVER_SOFTWARE',
  'API_VERSION',
] as const;

/** Variables of the request (asked from ExprContext.var). */
export const REQUEST_VARS = [
  'REQUEST_METHOD',
  'REQUEST_SCHEME',
  'REQUEST_URI',
  'REQUEST_FILENAME',
  'REMOTE_HOST',
  'REMOTE_IDENT',
  'REMOTE_USER',
  'SERVER_ADMIN',
  'SERVER_NAME',
  'SERVER_PORT',
  'SERVER_PROTOCOL',
  'SCRIPT_FILENAME',
  'PATH_INFO',
  'QUERY_STRING',
  'IS_SUBREQ',
  'DOCUMENT_ROOT',
  'AUTH_TYPE',
  'THE_REQUEST',
  'CONTENT_TYPE',
  'HANDLER',
  'REQUEST_LOG_ID',
  'SCRIPT_USER',
  'SCRIPT_GROUP',
  'DOCUMENT_URI',
  'LAST_MODIFIED',
  'CONTEXT_PREFIX',
  'CONTEXT_DOCUMENT_ROOT',
  'REQUEST_STATUS',
  'REMOTE_ADDR',
  'REMOTE_PORT',
] as const;

/** Variables of the connection (asked from ExprContext.var). */
export const CONN_VARS = ['HTTPS', 'IPV6', 'CONN_LOG_ID', 'CONN_REMOTE_ADDR', 'HTTP2'] as const;

const ALL_VARS: string[] = [...MISC_VARS, ...Object.keys(HEADER_VARS), ...REQUEST_VARS, ...CONN_VARS];

/** Built-in string functions, in httpd's order; `true` marks the restricted ones. */
const STRING_FUNCS: [string, boolean][] = [
  ['osenv', false],
  ['env', false],
  ['resp', false],
  ['req', false],
  ['http', false],
  ['note', false],
  ['reqenv', false],
  ['req_novary', false],
  ['tolower', false],
  ['toupper', false],
  ['escape', false],
  ['unescape', false],
  ['file', true],
  ['filesize', true],
  ['base64', false],
  ['unbase64', false],
  ['sha1', false],
  ['md5', false],
  ['ldap', false],
];

export type UnaryOp = 'n' | 'z' | 'R' | 'T' | 'd' | 'e' | 'f' | 's' | 'L' | 'h' | 'x' | 'F' | 'U' | 'A';
export type BinaryOp = 'ipmatch' | 'fnmatch' | 'strmatch' | 'strcmatch';

const UNARY_OPS: [UnaryOp, boolean][] = [
  ['n', false],
  ['z', false],
  ['R', false],
  ['T', false],
  ['d', true],
  ['e', true],
  ['f', true],
  ['s', true],
  ['L', true],
  ['h', true],
  ['x', true],
  ['F', false],
  ['U', false],
  ['A', false],
];

const BINARY_OPS: BinaryOp[] = ['ipmatch', 'fnmatch', 'strmatch', 'strcmatch'];

const notFound = (type: string, prefix: string, name: string): { ok: false; error: string } => ({
  ok: false,
  error: `${type} '${prefix}${name}' does not exist`,
});

const restrictedError = (prefix: string, name: string): { ok: false; error: string } => ({
  ok: false,
  error: `${prefix}${name} not available in restricted context`,
});

/** `%{NAME}`: the canonical (upper-case) variable name. mod_ssl's names keep their case. */
export function lookupVar(name: string, opts: ParseOptions): Lookup<string> {
  const upper = name.toUpperCase();
  if (ALL_VARS.includes(upper)) return { ok: true, value: upper };
  if (opts.ssl && name.startsWith('SSL_')) return { ok: true, value: name };
  const extra = opts.extraVar?.(name);
  if (extra !== undefined) return { ok: true, value: extra };
  return notFound('Variable', '', name);
}

/** `name(arg)` or `%{name:arg}`: the canonical (lower-case) function name; mod_ssl's `SSL` stays. */
export function lookupStringFunc(name: string, opts: ParseOptions): Lookup<string> {
  const lower = name.toLowerCase();
  const hit = STRING_FUNCS.find(([n]) => n === lower);
  if (hit) {
    if (hit[1] && opts.restricted) return restrictedError('', hit[0]);
    return { ok: true, value: hit[0] };
  }
  if (opts.ssl && name === 'SSL') return { ok: true, value: 'SSL' };
  const extra = opts.extraFunc?.(name);
  if (extra !== undefined) return { ok: true, value: extra };
  return notFound('Function', '', name);
}

/** A list-valued function after `-in` (httpd has none of its own; mod_ssl adds PeerExtList). */
export function lookupListFunc(name: string, opts: ParseOptions): Lookup<string> {
  if (opts.ssl && name === 'PeerExtList') return { ok: true, value: name };
  return notFound('List-returning function', '', name);
}

export interface OpInfo<T> {
  op: T;
  /** For -R and -ipmatch: the subnet given as the constant argument. */
  subnet?: IpSubnet;
}

/**
 * `-x word`. `constArg` is the argument's text when it is a constant string (httpd only
 * accepts a constant for -R).
 */
export function lookupUnary(name: string, constArg: string | undefined, opts: ParseOptions): Lookup<OpInfo<UnaryOp>> {
  const hit = UNARY_OPS.find(([n]) => n === name);
  if (!hit) return notFound('Unary operator', '-', name);
  if (hit[1] && opts.restricted) return restrictedError('-', hit[0]);
  if (hit[0] === 'R') return withSubnet('R', name, constArg);
  return { ok: true, value: { op: hit[0] } };
}

/** `word -name word` (case-insensitive). `constArg2` is the right side when it is a constant string. */
export function lookupBinary(name: string, constArg2: string | undefined, _opts: ParseOptions): Lookup<OpInfo<BinaryOp>> {
  const op = BINARY_OPS.find((n) => n === name.toLowerCase());
  if (!op) return notFound('Binary operator', '-', name);
  if (op === 'ipmatch') return withSubnet('ipmatch', name, constArg2);
  return { ok: true, value: { op } };
}

function withSubnet<T extends string>(op: T, name: string, arg: string | undefined): Lookup<OpInfo<T>> {
  if (arg === undefined) return { ok: false, error: `-${name} requires subnet/netmask as constant argument` };
  const slash = arg.indexOf('/');
  // apr_ipsubnet_create refuses an empty address (looks_like_ip).
  if (arg === '' || slash === 0) return { ok: false, error: 'parsing of subnet/netmask failed' };
  const parsed = slash < 0 ? parseIpSubnet(arg) : parseIpSubnet(arg.slice(0, slash), arg.slice(slash + 1));
  if (typeof parsed === 'string') return { ok: false, error: 'parsing of subnet/netmask failed' };
  return { ok: true, value: { op, subnet: parsed } };
}
