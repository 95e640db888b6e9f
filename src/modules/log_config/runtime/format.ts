/**
 * LogFormat strings compiled once into a function of a request record, as mod_log_config's
 * `parse_log_string` / `config_log_transaction` (httpd 2.4) do it.
 */
import { type Result, ok, fail } from '../../../util/diagnostics.js';

/** Everything a log line can show about one request. Missing values log as `-`. */
export interface LogRecord {
  /** Peer address of the connection (`%h` with HostnameLookups Off, `%{c}a`). */
  peerIp: string;
  /** Client address after mod_remoteip (`%a`); defaults to peerIp. */
  clientIp?: string;
  peerPort: number;
  localIp: string;
  localPort: number;
  /** Resolved client host name when HostnameLookups is On. */
  remoteHost?: string;
  /** identd name (`%l`). */
  remoteLogname?: string;
  /** Authenticated user (`%u`). */
  user?: string;
  /** When the request line was read, in µs since the epoch (`%t`, `%D`, `%T`). */
  requestTimeUs: number;
  /** When the request finished, in µs since the epoch; now if absent. */
  endTimeUs?: number;
  /** The request line as received (`%r`). */
  requestLine: string;
  method: string;
  protocol: string;
  /** `r->uri`, the decoded path (`%U`). */
  uri: string;
  /** `r->args` without `?` (`%q`), or null. */
  args: string | null;
  /** `r->filename` (`%f`), e.g. `proxy:http://backend/x`. */
  filename?: string;
  /** Final status (`%>s`, and the one status conditions test). */
  status: number;
  /** Status of the original request before internal redirects (`%<s`, `%s`). */
  originalStatus?: number;
  /** Response body bytes (`%B`, `%b`); null when no body was sent. */
  bytesSent: number | null;
  /** Bytes received / sent on the wire including headers (mod_logio `%I` `%O`). */
  bytesIn?: number;
  bytesOut?: number;
  /** Request and response headers, names in any case. */
  requestHeaders: ReadonlyArray<readonly [string, string]>;
  responseHeaders: ReadonlyArray<readonly [string, string]>;
  env?: ReadonlyMap<string, string>;
  notes?: ReadonlyMap<string, string>;
  /** ServerName of the vhost (`%v`). */
  serverName: string;
  /** Server name per UseCanonicalName (`%V`); defaults to serverName. */
  requestServerName?: string;
  /** The vhost's configured port (`%p`): ServerName's port, else the scheme default (80). */
  serverPort?: number;
  pid?: number;
  threadId?: number;
  /** Requests already served on this connection before this one (`%k`). */
  keepAlives?: number;
  logId?: string;
  handler?: string;
  /** `%X`: X = aborted, + = will be kept alive, - = will close. */
  connectionStatus?: 'X' | '+' | '-';
  /** Time zone offset east of UTC in minutes for `%t`; the process's local offset by default. */
  tzOffsetMinutes?: number;
  /** mod_ssl's variables (`%{VAR}x`, `%{VAR}c`); absent on plain HTTP connections. */
  sslVars?: ReadonlyMap<string, string>;
}

type Item = (r: LogRecord) => string | null | undefined;

/** `ap_escape_logitem`: `"` and `\` escaped, control and non-ASCII bytes as `\xhh` or `\n` etc. */
export function escapeLogItem(s: string): string {
  let out = '';
  for (const ch of s) {
    const bytes = ch.charCodeAt(0) > 0xff ? [...Buffer.from(ch, 'utf8')] : [ch.charCodeAt(0)];
    for (const c of bytes) {
      if (c === 0x22) out += '\\"';
      else if (c === 0x5c) out += '\\\\';
      else if (c === 0x08) out += '\\b';
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else if (c === 0x0b) out += '\\v';
      else if (c < 0x20 || c >= 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
      else out += String.fromCharCode(c);
    }
  }
  return out;
}

const esc = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : escapeLogItem(s));

function headerValues(list: ReadonlyArray<readonly [string, string]>, name: string): string | null {
  const lower = name.toLowerCase();
  const vals = list.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return vals.length ? vals.join(', ') : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** Broken-down local time: a Date shifted by the offset and read with the UTC getters. */
function explode(us: number, tzOffsetMinutes: number): Date {
  return new Date(Math.floor(us / 1000) + tzOffsetMinutes * 60000);
}

function tzString(off: number): string {
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${sign}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
}

/** A subset of strftime as APR implements it (the C library's). */
export function strftime(fmt: string, us: number, tzOffsetMinutes: number): string {
  const d = explode(us, tzOffsetMinutes);
  const h12 = d.getUTCHours() % 12 || 12;
  const yday = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
  const map: Record<string, () => string> = {
    a: () => DAYS[d.getUTCDay()],
    A: () => DAYS_LONG[d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    h: () => MONTHS[d.getUTCMonth()],
    B: () => MONTHS_LONG[d.getUTCMonth()],
    d: () => p2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2, ' '),
    H: () => p2(d.getUTCHours()),
    I: () => p2(h12),
    j: () => String(yday).padStart(3, '0'),
    m: () => p2(d.getUTCMonth() + 1),
    M: () => p2(d.getUTCMinutes()),
    p: () => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
    S: () => p2(d.getUTCSeconds()),
    y: () => p2(d.getUTCFullYear() % 100),
    Y: () => String(d.getUTCFullYear()),
    z: () => tzString(tzOffsetMinutes),
    Z: () => (tzOffsetMinutes === 0 ? 'GMT' : tzString(tzOffsetMinutes)),
    s: () => String(Math.floor(us / 1e6)),
    u: () => String(d.getUTCDay() || 7),
    w: () => String(d.getUTCDay()),
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  map.T = () => `${map.H()}:${map.M()}:${map.S()}`;
  map.R = () => `${map.H()}:${map.M()}`;
  map.D = () => `${map.m()}/${map.d()}/${map.y()}`;
  map.F = () => `${map.Y()}-${map.m()}-${map.d()}`;
  map.c = () => `${map.a()} ${map.b()} ${map.e()} ${map.T()} ${map.Y()}`;
  map.x = map.D;
  map.X = map.T;
  map.r = () => `${map.I()}:${map.M()}:${map.S()} ${map.p()}`;
  return fmt.replace(/%(.)/g, (all, c: string) => (map[c] ? map[c]() : all));
}

function localOffset(r: LogRecord, us: number): number {
  return r.tzOffsetMinutes ?? -new Date(Math.floor(us / 1000)).getTimezoneOffset();
}

/** `%t` / `%{format}t`, with the `begin:`/`end:` prefixes and sec/msec/usec[_frac]. */
function timeItem(arg: string): Item {
  let a = arg;
  let useEnd = false;
  if (a.startsWith('begin:')) a = a.slice(6);
  else if (a.startsWith('end:')) {
    a = a.slice(4);
    useEnd = true;
  }
  const when = (r: LogRecord): number => (useEnd ? r.endTimeUs ?? Date.now() * 1000 : r.requestTimeUs);
  switch (a) {
    case 'sec':
      return (r) => String(Math.floor(when(r) / 1e6));
    case 'msec':
      return (r) => String(Math.floor(when(r) / 1e3));
    case 'usec':
      return (r) => String(Math.floor(when(r)));
    case 'msec_frac':
      return (r) => String(Math.floor(when(r) / 1e3) % 1000).padStart(3, '0');
    case 'usec_frac':
      return (r) => String(Math.floor(when(r)) % 1000000).padStart(6, '0');
    case '':
      return (r) => {
        const us = when(r);
        const off = localOffset(r, us);
        const d = explode(us, off);
        return `[${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${tzString(off)}]`;
      };
    default:
      return (r) => {
        const us = when(r);
        return strftime(a, us, localOffset(r, us));
      };
  }
}

const elapsedUs = (r: LogRecord): number => Math.max(0, (r.endTimeUs ?? Date.now() * 1000) - r.requestTimeUs);

function cookie(r: LogRecord, name: string): string | null {
  // mod_log_config 2.4: the value of the first cookie with exactly this name.
  const header = headerValues(r.requestHeaders, 'cookie');
  if (header === null) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The handler for a directive letter and its `{arg}`; undefined for an unknown letter. */
function handlerFor(letter: string, arg: string, wantOrig: boolean | null): Item | undefined {
  switch (letter) {
    case '%':
      return () => '%';
    case 'a':
      return arg === 'c' ? (r) => r.peerIp : (r) => r.clientIp ?? r.peerIp;
    case 'A':
      return (r) => r.localIp;
    case 'B':
      return (r) => String(r.bytesSent ?? 0);
    case 'b':
      return (r) => (r.bytesSent ? String(r.bytesSent) : '-');
    case 'C':
      return (r) => esc(cookie(r, arg));
    case 'D':
      return (r) => String(Math.floor(elapsedUs(r)));
    case 'e':
      return (r) => esc(r.env?.get(arg));
    case 'x':
    case 'c':
      return (r) => esc(r.sslVars?.get(arg));
    case 'f':
      return (r) => r.filename;
    case 'h':
      return arg === 'c' ? (r) => esc(r.peerIp) : (r) => esc(r.remoteHost ?? r.peerIp);
    case 'H':
      return (r) => esc(r.protocol);
    case 'i':
      return (r) => esc(headerValues(r.requestHeaders, arg));
    case 'I':
      return (r) => (r.bytesIn === undefined ? null : String(r.bytesIn));
    case 'O':
      return (r) => (r.bytesOut === undefined ? null : String(r.bytesOut));
    case 'S':
      return (r) => (r.bytesIn === undefined && r.bytesOut === undefined ? null : String((r.bytesIn ?? 0) + (r.bytesOut ?? 0)));
    case 'k':
      return (r) => String(r.keepAlives ?? 0);
    case 'l':
      return (r) => esc(r.remoteLogname);
    case 'L':
      return (r) => r.logId;
    case 'm':
      return (r) => esc(r.method);
    case 'n':
      return (r) => esc(r.notes?.get(arg));
    case 'o':
      return (r) => esc(headerValues(r.responseHeaders, arg));
    case 'p':
      if (arg === 'local') return (r) => String(r.localPort);
      if (arg === 'remote') return (r) => String(r.peerPort);
      return (r) => String(r.serverPort ?? 80);
    case 'P':
      if (arg === 'tid' || arg === 'hextid') {
        const hex = arg === 'hextid';
        return (r) => (r.threadId === undefined ? null : hex ? r.threadId.toString(16) : String(r.threadId));
      }
      return (r) => String(r.pid ?? process.pid);
    case 'q':
      return (r) => (r.args !== null ? '?' + escapeLogItem(r.args) : '');
    case 'r':
      return (r) => esc(r.requestLine);
    case 'R':
      return (r) => esc(r.handler);
    case 's':
      // %s logs the original request's status unless '>' asks for the final one.
      return wantOrig === false ? (r) => statusText(r.status) : (r) => statusText(r.originalStatus ?? r.status);
    case 't':
      return timeItem(arg);
    case 'T':
      if (arg === 'ms') return (r) => String(Math.floor(elapsedUs(r) / 1000));
      if (arg === 'us') return (r) => String(Math.floor(elapsedUs(r)));
      return (r) => String(Math.floor(elapsedUs(r) / 1e6));
    case 'u':
      return (r) => (r.user === undefined ? null : r.user === '' ? '""' : escapeLogItem(r.user));
    case 'U':
      return (r) => r.uri;
    case 'v':
      return (r) => esc(r.serverName);
    case 'V':
      return (r) => esc(r.requestServerName ?? r.serverName);
    case 'X':
      return (r) => r.connectionStatus ?? '-';
    default:
      return undefined;
  }
}

function statusText(s: number): string | null {
  return s > 0 ? String(s) : null;
}

/** The compiled format: call it with a request record to get the log line (without newline). */
export type LogFormatter = (r: LogRecord) => string;

/**
 * Compiles a LogFormat string. Errors carry httpd's messages
 * (`Unrecognized LogFormat directive %x`, `Ran off end of LogFormat parsing args to some directive`).
 */
export function compileLogFormat(format: string): Result<LogFormatter, string> {
  const items: Item[] = [];
  let i = 0;
  while (i < format.length) {
    if (format[i] !== '%') {
      let text = '';
      while (i < format.length && format[i] !== '%') {
        const c = format[i];
        if (c !== '\\') {
          text += c;
          i++;
          continue;
        }
        const n = format[i + 1];
        if (n === '\\') text += '\\';
        else if (n === 'r') text += '\r';
        else if (n === 'n') text += '\n';
        else if (n === 't') text += '\t';
        else {
          text += '\\';
          i++;
          continue;
        }
        i += 2;
      }
      items.push(() => text);
      continue;
    }
    i++;
    let negate = false;
    let wantOrig: boolean | null = null;
    let arg = '';
    const conditions: number[] = [];
    let handler: Item | undefined;
    while (i < format.length) {
      const c = format[i];
      if (c === '!') {
        negate = !negate;
        i++;
      } else if (c === '<') {
        wantOrig = true;
        i++;
      } else if (c === '>') {
        wantOrig = false;
        i++;
      } else if (c === ',') {
        i++;
      } else if (c === '{') {
        const end = format.indexOf('}', i + 1);
        arg = end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
        i = end < 0 ? format.length : end + 1;
      } else if (c >= '0' && c <= '9') {
        let n = 0;
        while (i < format.length && format[i] >= '0' && format[i] <= '9') n = n * 10 + Number(format[i++]);
        conditions.push(n);
      } else {
        handler = handlerFor(c, arg, wantOrig);
        if (!handler) return fail(`Unrecognized LogFormat directive %${c}`);
        i++;
        break;
      }
    }
    if (!handler) return fail('Ran off end of LogFormat parsing args to some directive');
    const h = handler;
    if (conditions.length === 0) items.push((r) => h(r) ?? '-');
    else {
      items.push((r) => {
        const inList = conditions.includes(r.status);
        if (negate ? inList : !inList) return '-';
        return h(r) ?? '-';
      });
    }
  }
  return ok((r: LogRecord) => {
    let out = '';
    for (const it of items) out += it(r) ?? '-';
    return out;
  });
}

/** httpd's default nicknames (as in its stock configuration files). */
export const STANDARD_FORMATS: Readonly<Record<string, string>> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"',
  vhost_combined: '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
  referer: '%{Referer}i -> %U',
  agent: '%{User-agent}i',
  /** mod_log_config's built-in default when no format is given. */
  CLF: '%h %l %u %t "%r" %>s %b',
};
