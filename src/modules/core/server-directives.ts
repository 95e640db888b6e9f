import fs from 'node:fs';
import path from 'node:path';
import type { Cmd } from '../../directives/types.js';
import { GLOBAL_ONLY, NOT_IN_DIR_LOC_FILE, NOT_IN_VIRTUALHOST } from '../../directives/types.js';
import { cd, cs, RANGES_DEFAULT, RANGES_NONE, RANGES_UNLIMITED } from './config.js';

/** C's atoi: leading whitespace, optional sign, digits; anything else ends the number (0 if none). */
export function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m ? Number.parseInt(m[1], 10) : 0;
}

/** ap_timeout_parameter_parse: `N`, `Ns`, `Nms`, `Nmi`, `Nh`; returns milliseconds. */
export function parseTimeout(arg: string, defaultUnit: 's' | 'ms' = 's'): number | undefined {
  const m = /^([+-]?\d+)(.*)$/.exec(arg);
  if (!m) return undefined;
  const n = Number.parseInt(m[1], 10);
  if (n < 0) return undefined;
  const unit = (m[2] || defaultUnit).toLowerCase();
  switch (unit) {
    case 's':
      return n * 1000;
    case 'ms':
      return n;
    case 'mi':
      return n * 60_000;
    case 'h':
      return n * 3_600_000;
    default:
      return undefined;
  }
}

/** ServerRoot-relative path (ap_server_root_relative). */
export function serverRootRelative(cmd: Cmd, p: string): string {
  return path.isAbsolute(p) ? p : path.join(cmd.state.tree.serverRoot, p);
}

function ctx(cmd: Cmd, forbidden = NOT_IN_DIR_LOC_FILE): string | undefined {
  return cmd.checkContext(forbidden);
}

/** `ServerName [scheme://]host[:port]` (core.c server_hostname_port). */
export function serverName(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  if (/[*?[]/.test(arg)) return `Invalid ServerName "${arg}" use ServerAlias to set multiple server names.`;
  let part = arg;
  let scheme: string | undefined;
  const sep = arg.indexOf('://');
  if (sep >= 0) {
    scheme = arg.slice(0, sep).toLowerCase();
    part = arg.slice(sep + 3);
  }
  // A bracketed IPv6 literal keeps its colons (ap_parse_addr_port-like split on the last ':').
  const colon = part.startsWith('[') ? part.indexOf(':', part.indexOf(']')) : part.indexOf(':');
  const conf = cs(cmd);
  let host = part;
  let port: number | undefined;
  if (colon >= 0) {
    host = part.slice(0, colon);
    port = atoi(part.slice(colon + 1));
    if (port <= 0 || port >= 65536) {
      return `The port number "${arg}" is outside the appropriate range (i.e., 1..65535).`;
    }
  }
  conf.serverName = { host, loc: cmd.node.loc };
  if (scheme !== undefined) conf.serverName.scheme = scheme;
  if (port !== undefined) conf.serverName.port = port;
  conf.port = port ?? 0;
  return undefined;
}

/** `ServerAlias name …` (core.c set_server_alias). */
export function serverAlias(cmd: Cmd, args: string[]) {
  if (!cmd.server.isVirtual) return 'ServerAlias only used in <VirtualHost>';
  const conf = cs(cmd);
  for (const name of args) {
    if (name === '') continue;
    if (/[*?]/.test(name)) conf.wildAliases.push(name);
    else conf.aliases.push(name);
  }
  return undefined;
}

export function serverAdmin(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  cs(cmd).serverAdmin = arg;
  return undefined;
}

export function serverPath(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  cs(cmd).serverPath = arg;
  return undefined;
}

/** `Timeout N` (atoi, like httpd: `Timeout abc` is 0). */
export function timeout(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  cs(cmd).timeout = atoi(arg);
  return undefined;
}

/** `DocumentRoot dir` (core.c set_document_root). */
export function documentRoot(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  const p = serverRootRelative(cmd, arg);
  let isDir = false;
  try {
    isDir = fs.statSync(p).isDirectory();
    if (isDir) fs.accessSync(p, fs.constants.R_OK);
  } catch {
    isDir = false;
  }
  const conf = cs(cmd);
  if (!isDir) {
    if (cmd.server.isVirtual) {
      cmd.warn({ severity: 'warning', rule: 'httpd', code: 'AH00112', message: `Warning: DocumentRoot [${p}] does not exist` });
    } else {
      return `DocumentRoot '${p}' is not a directory, or is not readable`;
    }
  }
  conf.documentRoot = p.length > 1 ? p.replace(/\/+$/, '') : p;
  return undefined;
}

export function errorLog(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  cs(cmd).errorLog = arg;
  return undefined;
}

export function errorLogFormat(cmd: Cmd, args: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  const conf = cs(cmd);
  if (args.length === 1) {
    conf.errorLogFormat = [{ format: args[0] }];
    return undefined;
  }
  const kind = args[0].toLowerCase();
  if (kind !== 'request' && kind !== 'connection') return 'ErrorLogFormat type must be one of request, connection';
  conf.errorLogFormat.push({ kind, format: args[1] });
  return undefined;
}

export function pidFile(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(NOT_IN_VIRTUALHOST);
  if (err) return err;
  cs(cmd).pidFile = arg;
  return undefined;
}

export function serverTokens(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  const a = arg.toLowerCase();
  const v =
    a === 'os' ? 'OS'
    : a === 'min' || a === 'minimal' ? 'Minimal'
    : a === 'major' ? 'Major'
    : a === 'minor' ? 'Minor'
    : a === 'prod' || a === 'productonly' ? 'ProductOnly'
    : a === 'full' ? 'Full'
    : undefined;
  if (!v) return "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'";
  cs(cmd).serverTokens = v;
  return undefined;
}

/** LimitRequestLine / LimitRequestFieldsize / LimitRequestFields (core.c set_limit_req_*). */
export function limitRequest(field: 'limitRequestLine' | 'limitRequestFieldSize' | 'limitRequestFields') {
  return (cmd: Cmd, [arg]: string[]) => {
    const err = ctx(cmd);
    if (err) return err;
    const n = atoi(arg);
    if (n < 0) return `${cmd.entry.name} "${arg}" must be a non-negative integer`;
    cs(cmd)[field] = n;
    return undefined;
  };
}

export function httpProtocolOptions(cmd: Cmd, [arg]: string[]) {
  const o = cs(cmd).httpProtocolOptions;
  const a = arg.toLowerCase();
  if (a === 'allow0.9') o.allow09 = true;
  else if (a === 'require1.0') o.allow09 = false;
  else if (a === 'registeredmethods') o.registeredMethods = true;
  else if (a === 'lenientmethods') o.registeredMethods = false;
  else if (a === 'strict') o.strict = true;
  else if (a === 'unsafe') o.strict = false;
  else {
    return "HttpProtocolOptions accepts 'Unsafe' or 'Strict' (default), 'RegisteredMethods' or 'LenientMethods' (default), and 'Require1.0' or 'Allow0.9' (default)";
  }
  const node = cmd.node.args.map((w) => w.toLowerCase());
  const both = (x: string, y: string) => node.includes(x) && node.includes(y);
  if (both('allow0.9', 'require1.0')) return "HttpProtocolOptions 'Allow0.9' and 'Require1.0' are mutually exclusive";
  if (both('strict', 'unsafe')) return "HttpProtocolOptions 'Strict' and 'Unsafe' are mutually exclusive";
  if (both('registeredmethods', 'lenientmethods')) {
    return "HttpProtocolOptions 'RegisteredMethods' and 'LenientMethods' are mutually exclusive";
  }
  return undefined;
}

export function strictHostCheck(cmd: Cmd, [arg]: string[]) {
  cs(cmd).strictHostCheck = arg === 'On';
  return undefined;
}

export function mergeSlashes(cmd: Cmd, [arg]: string[]) {
  cs(cmd).mergeSlashes = arg === 'On';
  return undefined;
}

export function allowEncodedSlashes(cmd: Cmd, [arg]: string[]) {
  const a = arg.toLowerCase();
  if (a !== 'on' && a !== 'off' && a !== 'nodecode') return `${cmd.entry.name} must be On, Off, or NoDecode`;
  cs(cmd).allowEncodedSlashes = a;
  return undefined;
}

export function traceEnable(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  const a = arg.toLowerCase();
  if (a !== 'on' && a !== 'off' && a !== 'extended') return "TraceEnable must be one of 'on', 'off', or 'extended'";
  cs(cmd).traceEnable = a;
  return undefined;
}

export function protocols(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  const conf = cs(cmd);
  // ITERATE: the handler sees one word at a time; the first word of a line starts a new list.
  if (!conf.protocols || cmd.node.args[0] === arg) conf.protocols = [];
  conf.protocols.push(arg.toLowerCase());
  return undefined;
}

export function protocolsHonorOrder(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  const a = arg.toLowerCase();
  if (a !== 'on' && a !== 'off') return "ProtocolsHonorOrder must be 'on' or 'off'";
  cs(cmd).protocolsHonorOrder = a === 'on';
  return undefined;
}

export function protocol(cmd: Cmd, [arg]: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  cs(cmd).protocol = arg.toLowerCase();
  return undefined;
}

export function extendedStatus(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  cs(cmd).extendedStatus = arg === 'On';
  return undefined;
}

export function limitInternalRecursion(cmd: Cmd, args: string[]) {
  const err = ctx(cmd);
  if (err) return err;
  const r = atoi(args[0]);
  if (r <= 0) return 'The recursion limit must be greater than zero.';
  let s = r;
  if (args.length > 1) {
    s = atoi(args[1]);
    if (s <= 0) return 'The recursion limit must be greater than zero.';
  }
  cs(cmd).redirectLimit = r;
  cs(cmd).subreqLimit = s;
  return undefined;
}

const RANGE_LIMITS = { maxranges: 'maxRanges', maxrangeoverlaps: 'maxRangeOverlaps', maxrangereversals: 'maxRangeReversals' } as const;

/** MaxRanges, MaxRangeOverlaps, MaxRangeReversals. */
export function maxRanges(cmd: Cmd, [arg]: string[]) {
  const a = arg.toLowerCase();
  let value: number;
  if (a === 'none') value = RANGES_NONE;
  else if (a === 'default') value = RANGES_DEFAULT;
  else if (a === 'unlimited') value = RANGES_UNLIMITED;
  else if (/^\d+$/.test(arg) && Number(arg) > 0) value = Math.min(Number(arg), 2147483647);
  else return `${cmd.entry.name} requires 'none', 'default', 'unlimited' or a positive integer`;
  cd(cmd)[RANGE_LIMITS[cmd.entry.name.toLowerCase() as keyof typeof RANGE_LIMITS]] = value;
  return undefined;
}

/** ReadBufferSize, FlushMaxThreshold (apr_size_t) and FlushMaxPipelined (int, -1 allowed). */
export function sizeParam(min: number, max: string) {
  return (_cmd: Cmd, [arg]: string[]) => {
    const ok = /^-?\d+$/.test(arg) && Number(arg) >= min && Number(arg) <= Number(max.replace(/\D/g, ''));
    return ok ? undefined : `parameter must be a number between ${min} and (${max}): ${arg}`;
  };
}

export function port() {
  return 'Port was replaced with Listen in Apache 2.0';
}

export function nameVirtualHost(cmd: Cmd) {
  const { file, line } = cmd.node.loc;
  cmd.warn({
    severity: 'warning',
    rule: 'httpd',
    code: 'AH00548',
    message: `NameVirtualHost has no effect and will be removed in the next release ${file}:${line}`,
  });
  return undefined;
}

/** `Error "message"`: fails the configuration with that message. */
export function errorDirective(_cmd: Cmd, args: string[], raw: string) {
  const text = raw.trim();
  const m = /^(["'])(.*)\1$/s.exec(text);
  return m ? m[2] : args.join(' ') || text;
}

const MUTEX_MECHS =
  "(Mutex mechanisms are: 'none', 'default', 'flock:/path/to/file', 'fcntl:/path/to/file', 'file:/path/to/file', 'pthread', 'sysvsem', 'posixsem', 'sem')";

/** `Mutex mechanism [mutex-name …]` (util_mutex.c ap_set_mutex): the mechanism is checked. */
export function mutex(cmd: Cmd, args: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  if (args.length === 0) return `Mutex requires at least a mechanism argument ${MUTEX_MECHS}`;
  const mech = args[0];
  const colon = mech.indexOf(':');
  const kind = (colon >= 0 ? mech.slice(0, colon) : mech).toLowerCase();
  const known = ['none', 'default', 'flock', 'fcntl', 'file', 'pthread', 'sysvsem', 'posixsem', 'sem'];
  if (!known.includes(kind)) return `Invalid Mutex argument ${mech} ${MUTEX_MECHS}`;
  if (colon >= 0) {
    if (!['default', 'flock', 'fcntl', 'file'].includes(kind)) return `Invalid Mutex argument ${mech} ${MUTEX_MECHS}`;
    const dir = serverRootRelative(cmd, mech.slice(colon + 1));
    let ok = false;
    try {
      ok = fs.statSync(dir).isDirectory();
    } catch {
      ok = false;
    }
    if (!ok) return `Invalid Mutex directory in argument ${mech}`;
  }
  return undefined;
}

export function regexDefaultOptions(_cmd: Cmd, args: string[]) {
  for (const w of args) {
    const name = w.replace(/^[+-]/, '').toUpperCase();
    if (!['ICASE', 'DOTALL', 'DOLLAR_ENDONLY', 'NONE'].includes(name)) return `RegexDefaultOptions: option '${w}' unknown`;
  }
  return undefined;
}

export function coreDumpDirectory(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  const p = serverRootRelative(cmd, arg);
  try {
    if (!fs.statSync(p).isDirectory()) return `CoreDumpDirectory ${p} is not a directory`;
  } catch {
    return `CoreDumpDirectory ${p} does not exist`;
  }
  return undefined;
}

export function globalOnly(cmd: Cmd) {
  return cmd.checkContext(GLOBAL_ONLY);
}

export function notInDirLocFile(cmd: Cmd) {
  return cmd.checkContext(NOT_IN_DIR_LOC_FILE);
}
