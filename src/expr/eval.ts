/**
 * Evaluation of parsed ap_expr expressions against a request, following httpd's
 * server/util_expr_eval.c. Evaluation never throws: a runtime failure (an unreadable file(),
 * the recursion limit) is recorded in `EvalState.error`, and the result is then false / ''
 * as httpd treats it (it logs "Evaluation of expression from FILE:LINE failed: ERROR").
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import type { Cond, Expr, Word, WordList } from './ast.js';
import { ipInSubnet } from '../modules/authz_host/ipsubnet.js';
import { HEADER_VARS } from './lookup.js';
import {
  asciiLower,
  asciiUpper,
  atoi64,
  base64Decode,
  base64Encode,
  byteCompare,
  escapeUri,
  fnmatch,
  ldapEscape,
  md5Hex,
  sha1Hex,
  unescapeUrl,
} from './strfuncs.js';

/** What a file test needs to know (from stat, or lstat for -L / -h / -x). */
export interface FileInfo {
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
  /** Permission bits (`mode & 0o777`). */
  mode: number;
}

/**
 * The request an expression is evaluated for. The runtime implements it; tests use a plain
 * object. Values that are not set are `undefined` (httpd's NULL, seen as '').
 */
export interface ExprContext {
  /**
   * A request or connection variable by canonical (upper-case) name. Request-dependent:
   * REQUEST_METHOD, REQUEST_SCHEME, REQUEST_URI, REQUEST_FILENAME, REMOTE_HOST, REMOTE_IDENT,
   * REMOTE_USER, SERVER_ADMIN, SERVER_NAME, SERVER_PORT, SERVER_PROTOCOL, SCRIPT_FILENAME,
   * PATH_INFO, QUERY_STRING, IS_SUBREQ ("true"/"false"), DOCUMENT_ROOT, AUTH_TYPE, THE_REQUEST,
   * CONTENT_TYPE, HANDLER, REQUEST_LOG_ID, SCRIPT_USER, SCRIPT_GROUP, DOCUMENT_URI,
   * LAST_MODIFIED, CONTEXT_PREFIX, CONTEXT_DOCUMENT_ROOT, REQUEST_STATUS, REMOTE_ADDR,
   * REMOTE_PORT; connection: HTTPS, IPV6, HTTP2 ("on"/"off"), CONN_LOG_ID, CONN_REMOTE_ADDR;
   * with mod_ssl, SSL_* as written. SERVER_SOFTWARE is asked here too (the banner).
   * Not asked: TIME*, API_VERSION (computed) and HTTP_* header variables (via `header`).
   */
  var(name: string): string | undefined;
  /** A request header, case-insensitive name. */
  header(name: string): string | undefined;
  /** A response header (headers_out, then err_headers_out). */
  respHeader(name: string): string | undefined;
  /** The request environment (subprocess_env). */
  env(name: string): string | undefined;
  /** A request note. */
  note(name: string): string | undefined;
  /** The client address used by `-R` (httpd's useragent_addr). */
  remoteIp: string;
  /** Process environment for osenv()/env(); defaults to process.env. */
  osenv?(name: string): string | undefined;
  /** File status for -d -e -f -s -L -h -x and filesize(); defaults to the real file system. */
  stat?(path: string, followLinks: boolean): FileInfo | undefined;
  /** File contents for file(); defaults to reading the file as UTF-8. */
  readFile?(path: string): string | undefined;
  /** -U / -A (`uri`) and -F (`file`): whether a subrequest would be allowed; default false. */
  subrequest?(kind: 'uri' | 'file', arg: string): boolean;
  /** A function added by a module through ParseOptions.extraFunc (called with its canonical name). */
  func?(name: string, arg: string): string | undefined;
  /** mod_ssl's list function PeerExtList(oid). */
  sslPeerExtList?(oid: string): string[];
  /** The clock for TIME*; defaults to now. */
  now?(): Date;
}

/** Regex captures available as $0…$9: the matched string and the match. */
export interface Captures {
  source: string;
  match: RegExpExecArray;
}

/** Side results of an evaluation. Pass one in to read them afterwards. */
export interface EvalState {
  /** Set when evaluation failed (the result is then false / ''). */
  error?: string;
  /** Request headers the result depends on (for the response's Vary header). */
  vary: string[];
  /**
   * $0…$9 source. May be preset by the caller (a section regex); a matching `=~` with groups
   * replaces it, a failing one clears it.
   */
  captures?: Captures;
}

/** httpd's AP_EXPR_MAX_RECURSION. */
const MAX_RECURSION = 20;
/** httpd's MODULE_MAGIC_NUMBER_MAJOR for 2.4. */
const API_VERSION = '20120211';
const MAX_FILE_SIZE = 10 * 1024 * 1024;

export function newEvalState(): EvalState {
  return { vary: [] };
}

/** Evaluate a boolean expression. On a runtime error: false, with `state.error` set. */
export function evalCondition(expr: Expr, ctx: ExprContext, state: EvalState = newEvalState()): boolean {
  const ev = new Evaluator(ctx, state);
  state.error = undefined;
  if (expr.type !== 'bool') {
    state.error = 'Not a boolean expression';
    return false;
  }
  const result = ev.cond(expr.root);
  return state.error === undefined ? result : false;
}

/** Evaluate a string expression. On a runtime error: '', with `state.error` set. */
export function evalString(expr: Expr, ctx: ExprContext, state: EvalState = newEvalState()): string {
  const ev = new Evaluator(ctx, state);
  state.error = undefined;
  if (expr.type !== 'string') {
    state.error = 'Not a string expression';
    return '';
  }
  if (expr.root.kind === 'string') return expr.root.value;
  const result = ev.word(expr.root);
  return state.error === undefined ? result : '';
}

class Evaluator {
  private depth = 0;

  constructor(
    private readonly ctx: ExprContext,
    private readonly state: EvalState,
  ) {}

  private enter(): boolean {
    if (this.depth < MAX_RECURSION) {
      this.depth++;
      return true;
    }
    this.state.error = 'Recursion limit reached';
    this.depth = Number.POSITIVE_INFINITY;
    return false;
  }

  private fail(message: string): void {
    this.state.error = message;
  }

  private addVary(name: string): void {
    if (name.toLowerCase() !== 'host') this.state.vary.push(name);
  }

  cond(node: Cond): boolean {
    if (!this.enter()) return false;
    let result = false;
    let n = node;
    for (;;) {
      if (n.kind === 'not') {
        result = !result;
        n = n.arg;
        continue;
      }
      if (n.kind === 'or' || n.kind === 'and') {
        const kind = n.kind;
        let cur: Cond = n;
        let decided = false;
        while (cur.kind === kind) {
          const left: Cond = cur.left;
          const v = left.kind === 'not' ? !this.cond(left.arg) : this.cond(left);
          if (kind === 'or' ? v : !v) {
            result = kind === 'or' ? !result : result;
            decided = true;
            break;
          }
          cur = cur.right;
        }
        if (decided) break;
        n = cur;
        continue;
      }
      result = this.leaf(n) ? !result : result;
      break;
    }
    this.depth--;
    return result;
  }

  private leaf(n: Cond): boolean {
    switch (n.kind) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'compare': {
        const a = this.word(n.left);
        const b = this.word(n.right);
        let c: number;
        if (n.op === '==' || n.op === '!=' || n.op === '<' || n.op === '<=' || n.op === '>' || n.op === '>=') {
          c = byteCompare(a, b);
        } else {
          const x = atoi64(a);
          const y = atoi64(b);
          c = x < y ? -1 : x > y ? 1 : 0;
        }
        switch (n.op) {
          case '==':
          case 'eq':
            return c === 0;
          case '!=':
          case 'ne':
            return c !== 0;
          case '<':
          case 'lt':
            return c < 0;
          case '<=':
          case 'le':
            return c <= 0;
          case '>':
          case 'gt':
            return c > 0;
          default:
            return c >= 0;
        }
      }
      case 'match': {
        const s = this.word(n.left);
        const m = n.regex.regex.exec(s);
        if (n.regex.captures) this.state.captures = m ? { source: s, match: m } : undefined;
        return n.negate ? !m : !!m;
      }
      case 'in': {
        const needle = this.word(n.left);
        return this.list(n.list).some((v) => v === needle);
      }
      case 'unary':
        return this.unary(n.op, this.word(n.arg), n);
      case 'binary': {
        const a = this.word(n.left);
        const b = this.word(n.right);
        switch (n.op) {
          case 'ipmatch':
            return n.subnet ? ipInSubnet(n.subnet, a) : false;
          case 'fnmatch':
            return fnmatch(b, a, { pathname: true });
          case 'strmatch':
            return fnmatch(b, a, {});
          default:
            return fnmatch(b, a, { icase: true });
        }
      }
      default:
        this.fail('Internal evaluation error: Unknown expression node');
        return false;
    }
  }

  private list(l: WordList): string[] {
    if (l.kind === 'list') return l.items.map((w) => this.word(w));
    const arg = this.word(l.arg);
    return this.ctx.sslPeerExtList?.(arg) ?? [];
  }

  private unary(op: string, arg: string, n: Extract<Cond, { kind: 'unary' }>): boolean {
    switch (op) {
      case 'n':
        return arg !== '';
      case 'z':
        return arg === '';
      case 'R':
        return n.subnet ? ipInSubnet(n.subnet, this.ctx.remoteIp) : false;
      case 'T': {
        if (arg === '') return false;
        const l = arg.toLowerCase();
        return !(l === 'off' || l === 'no' || l === 'false' || arg === '0');
      }
      case 'd':
      case 'e':
      case 'f':
      case 's': {
        const st = this.stat(arg, true);
        if (!st) return false;
        if (op === 'd') return st.type === 'dir';
        if (op === 'e') return true;
        if (op === 'f') return st.type === 'file';
        return st.type === 'file' && st.size > 0;
      }
      case 'L':
      case 'h':
        return this.stat(arg, false)?.type === 'link';
      case 'x': {
        const st = this.stat(arg, false);
        return !!st && (st.mode & 0o111) !== 0;
      }
      case 'F':
        return this.ctx.subrequest?.('file', arg) ?? false;
      default:
        return this.ctx.subrequest?.('uri', arg) ?? false;
    }
  }

  private stat(path: string, follow: boolean): FileInfo | undefined {
    if (this.ctx.stat) return this.ctx.stat(path, follow);
    if (path === '') return undefined;
    try {
      const st = follow ? statSync(path, { throwIfNoEntry: false }) : lstatSync(path, { throwIfNoEntry: false });
      if (!st) return undefined;
      const type = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
      return { type, size: st.size, mode: st.mode & 0o777 };
    } catch {
      return undefined;
    }
  }

  word(w: Word): string {
    if (!this.enter()) return '';
    let result: string;
    switch (w.kind) {
      case 'string':
      case 'digit':
        result = w.value;
        break;
      case 'concat':
        result = w.parts.map((p) => this.word(p)).join('');
        break;
      case 'var':
        result = this.variable(w.name);
        break;
      case 'func':
        result = this.func(w.name, this.word(w.arg));
        break;
      case 'backref':
        result = this.backref(w.n);
        break;
      default:
        this.fail('Internal evaluation error: Unknown word expression node');
        result = '';
    }
    this.depth--;
    return result;
  }

  private backref(n: number): string {
    const c = this.state.captures;
    if (!c || c.source === '') return '';
    return c.match[n] ?? '';
  }

  private variable(name: string): string {
    const header = HEADER_VARS[name];
    if (header !== undefined) {
      this.addVary(header);
      return this.ctx.header(header) ?? '';
    }
    if (name.startsWith('TIME') || name === 'API_VERSION') return this.misc(name);
    return this.ctx.var(name) ?? '';
  }

  private misc(name: string): string {
    if (name === 'API_VERSION') return API_VERSION;
    const d = this.ctx.now?.() ?? new Date();
    const p2 = (n: number): string => String(n).padStart(2, '0');
    switch (name) {
      case 'TIME_YEAR':
        return String(d.getFullYear());
      case 'TIME_MON':
        return p2(d.getMonth() + 1);
      case 'TIME_DAY':
        return p2(d.getDate());
      case 'TIME_HOUR':
        return p2(d.getHours());
      case 'TIME_MIN':
        return p2(d.getMinutes());
      case 'TIME_SEC':
        return p2(d.getSeconds());
      case 'TIME_WDAY':
        return String(d.getDay());
      default:
        return `${d.getFullYear()}${p2(d.getMonth() + 1)}${p2(d.getDate())}${p2(d.getHours())}${p2(d.getMinutes())}${p2(d.getSeconds())}`;
    }
  }

  private osenv(name: string): string | undefined {
    return this.ctx.osenv ? this.ctx.osenv(name) : process.env[name];
  }

  private func(name: string, arg: string): string {
    const ctx = this.ctx;
    switch (name) {
      case 'req':
      case 'http':
        this.addVary(arg);
        return ctx.header(arg) ?? '';
      case 'req_novary':
        return ctx.header(arg) ?? '';
      case 'resp':
        return ctx.respHeader(arg) ?? '';
      case 'note':
        return ctx.note(arg) ?? '';
      case 'reqenv':
        return ctx.env(arg) ?? '';
      case 'env':
        return ctx.note(arg) ?? ctx.env(arg) ?? this.osenv(arg) ?? '';
      case 'osenv':
        return this.osenv(arg) ?? '';
      case 'tolower':
        return asciiLower(arg);
      case 'toupper':
        return asciiUpper(arg);
      case 'escape':
        return escapeUri(arg);
      case 'unescape':
        return unescapeUrl(arg);
      case 'base64':
        return base64Encode(arg);
      case 'unbase64':
        return base64Decode(arg);
      case 'md5':
        return md5Hex(arg);
      case 'sha1':
        return sha1Hex(arg);
      case 'ldap':
        return ldapEscape(arg);
      case 'file':
        return this.file(arg);
      case 'filesize': {
        const st = this.stat(arg, true);
        return st && st.type === 'file' && st.size > 0 ? String(st.size) : '0';
      }
      case 'SSL':
        return ctx.var(`SSL_${arg}`) ?? '';
      default:
        return ctx.func?.(name, arg) ?? '';
    }
  }

  private file(path: string): string {
    if (this.ctx.readFile) {
      const text = this.ctx.readFile(path);
      if (text === undefined) this.fail(`Cannot open file ${path}`);
      return text ?? '';
    }
    try {
      const st = statSync(path);
      if (st.size > MAX_FILE_SIZE) {
        this.fail(`File ${path} too large`);
        return '';
      }
      return readFileSync(path, 'utf8');
    } catch {
      this.fail(`Cannot open file ${path}`);
      return '';
    }
  }
}
