import { isSpace } from '../authz_core/words.js';
import type { RewriteCond, RewriteRuleFlags } from './config.js';

/** Response codes httpd knows (ap_index_of_response); R= accepts only these (and 500). */
const KNOWN_STATUS = new Set(
  '100 101 102 103 200 201 202 203 204 205 206 207 208 226 300 301 302 303 304 305 307 308 400 401 402 403 404 405 406 407 408 409 410 411 412 413 414 415 416 417 421 422 423 424 426 428 429 431 451 500 501 502 503 504 505 506 507 508 510 511'
    .split(' ')
    .map(Number),
);

/** mod_rewrite's parseargline: up to three words, quotes allowed, `\ ` keeps a blank in a word. */
export function parseArgLine(str: string): { a1: string; a2: string; a3?: string } | undefined {
  let i = 0;
  const skip = () => {
    while (i < str.length && isSpace(str[i])) i++;
  };
  /** One word; `atEnd` when it ran to the end of the text (no terminator). */
  const word = (): { w: string; atEnd: boolean } => {
    const quote = str[i] === '"' || str[i] === "'" ? str[i++] : '';
    const start = i;
    for (; i < str.length; i++) {
      if ((isSpace(str[i]) && !quote) || str[i] === quote) break;
      if (str[i] === '\\' && isSpace(str[i + 1])) i++;
    }
    const w = str.slice(start, i);
    const atEnd = i >= str.length;
    if (!atEnd) i++;
    return { w, atEnd };
  };
  skip();
  const a1 = word();
  if (a1.atEnd) return undefined;
  skip();
  const a2 = word();
  if (a2.atEnd) return { a1: a1.w, a2: a2.w };
  skip();
  if (i >= str.length) return { a1: a1.w, a2: a2.w };
  return { a1: a1.w, a2: a2.w, a3: word().w };
}

/** cmd_parseflagfield: `[k1,k2=v,…]` into key/value pairs, or httpd's error text. */
export function parseFlagField(field: string): { key: string; val: string }[] | string {
  if (!field.startsWith('[') || !field.endsWith(']') || field.length < 2) return 'bad flag delimiters';
  const out: { key: string; val: string }[] = [];
  for (const part of field.slice(1, -1).split(',')) {
    const t = part.replace(/^[\s]+|[\s]+$/g, '');
    if (t === '') continue;
    const eq = t.indexOf('=');
    out.push(eq >= 0 ? { key: t.slice(0, eq), val: t.slice(eq + 1) } : { key: t, val: '' });
  }
  return out;
}

export function defaultRuleFlags(): RewriteRuleFlags {
  return {
    chain: false,
    cookies: [],
    discardPathInfo: false,
    env: [],
    end: false,
    last: false,
    noEscape: false,
    next: false,
    maxRounds: 10000,
    noSubreq: false,
    nocase: false,
    proxy: false,
    passThrough: false,
    qsAppend: false,
    qsDiscard: false,
    qsLast: false,
    redirect: false,
    status: 302,
    statusOnly: false,
    skip: 0,
    escapeBackrefs: false,
    escapeNoPlus: false,
    escapeCtls: false,
    unsafeAllow3F: false,
    unsafePrefixStat: false,
  };
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** cmd_rewriterule_setflag: apply one flag, or return httpd's error text. */
export function setRuleFlag(f: RewriteRuleFlags, key: string, val: string): string | undefined {
  const k = key.slice(1);
  let ok = true;
  switch (key[0]?.toLowerCase()) {
    case 'b':
      if (k === '' || eq(k, 'ackrefescaping')) {
        f.escapeBackrefs = true;
        if (val) f.escapeChars = val;
      } else if (eq(k, 'NE')) {
        if (!val) return "flag 'BNE' wants a list of characters (i.e. [BNE=...])";
        f.noEscapeChars = val;
      } else if (eq(k, 'NP') || eq(k, 'ackrefernoplus')) f.escapeNoPlus = true;
      else if (eq(k, 'CTLS')) f.escapeCtls = f.escapeBackrefs = true;
      else ok = false;
      break;
    case 'c':
      if (k === '' || eq(k, 'hain')) f.chain = true;
      else if (eq(k, 'O') || eq(k, 'ookie')) f.cookies.push(val);
      else ok = false;
      break;
    case 'd':
      if (k === '' || eq(k, 'PI') || eq(k, 'iscardpath')) f.discardPathInfo = true;
      break;
    case 'e':
      if (k === '' || eq(k, 'nv')) f.env.push(val);
      else if (eq(k, 'nd')) f.end = true;
      else ok = false;
      break;
    case 'f':
      if (k === '' || eq(k, 'orbidden')) (f.statusOnly = true), (f.status = 403);
      else ok = false;
      break;
    case 'g':
      if (k === '' || eq(k, 'one')) (f.statusOnly = true), (f.status = 410);
      else ok = false;
      break;
    case 'h':
      if (k === '' || eq(k, 'andler')) f.handler = val;
      else ok = false;
      break;
    case 'l':
      if (k === '' || eq(k, 'ast')) f.last = true;
      else ok = false;
      break;
    case 'n':
      if (eq(k, 'E') || eq(k, 'oescape')) f.noEscape = true;
      else if (k === '' || eq(k, 'ext')) {
        f.next = true;
        if (val) f.maxRounds = parseInt(val, 10) || 0;
      } else if (eq(k, 'S') || eq(k, 'osubreq')) f.noSubreq = true;
      else if (eq(k, 'C') || eq(k, 'ocase')) f.nocase = true;
      else ok = false;
      break;
    case 'p':
      if (k === '' || eq(k, 'roxy')) f.proxy = true;
      else if (eq(k, 'T') || eq(k, 'assthrough')) f.passThrough = true;
      else ok = false;
      break;
    case 'q':
      if (eq(k, 'SA') || eq(k, 'sappend')) f.qsAppend = true;
      else if (eq(k, 'SD') || eq(k, 'sdiscard')) f.qsDiscard = true;
      else if (eq(k, 'SL') || eq(k, 'slast')) f.qsLast = true;
      else ok = false;
      break;
    case 'r':
      if (k === '' || eq(k, 'edirect')) {
        f.redirect = true;
        if (val) {
          let status = 0;
          if (eq(val, 'permanent')) status = 301;
          else if (eq(val, 'temp')) status = 302;
          else if (eq(val, 'seeother')) status = 303;
          else if (/^[0-9]/.test(val)) {
            status = parseInt(val, 10);
            if (status !== 500 && !KNOWN_STATUS.has(status)) return `invalid HTTP response code '${val}' for flag 'R'`;
            if (status < 300 || status > 399) f.statusOnly = true;
          }
          f.status = status;
        }
      } else ok = false;
      break;
    case 's':
      if (k === '' || eq(k, 'kip')) f.skip = parseInt(val, 10) || 0;
      else ok = false;
      break;
    case 't':
      if (k === '' || eq(k, 'ype')) f.type = val;
      else ok = false;
      break;
    case 'u':
      if (eq(k, 'nsafeAllow3F')) f.unsafeAllow3F = true;
      else if (eq(k, 'nsafePrefixStat')) f.unsafePrefixStat = true;
      else ok = false;
      break;
    default:
      ok = false;
  }
  return ok ? undefined : `unknown flag '${key}'`;
}

/** cmd_rewritecond_setflag. */
export function setCondFlag(c: Pick<RewriteCond, 'nocase' | 'ornext' | 'novary'>, key: string): string | undefined {
  if (eq(key, 'nocase') || eq(key, 'NC')) c.nocase = true;
  else if (eq(key, 'ornext') || eq(key, 'OR')) c.ornext = true;
  else if (eq(key, 'novary') || eq(key, 'NV')) c.novary = true;
  else return `unknown flag '${key}'`;
  return undefined;
}
