/**
 * Splitting argument text into words exactly as httpd's ap_getword_conf / ap_getword_conf2
 * (server/util.c) do.
 *
 *  - words are separated by runs of whitespace (space, \t, \n, \v, \f, \r);
 *  - a word starting with `"` or `'` runs to the next unescaped same quote; inside it `\q`
 *    (q = that quote) and `\\` are escapes, every other backslash is literal; a missing closing
 *    quote is not an error (the word runs to the end); text right after the closing quote
 *    starts the next word (`"a"b` → `a`, `b`); `""` is an empty word;
 *  - an unquoted word runs to the next whitespace; quotes inside it are literal; `\\` still
 *    collapses to `\`.
 */
import { isSpaceCode } from './lines.js';

export interface WordResult {
  word: string;
  /** Index just after the word and the whitespace that follows it. */
  next: number;
}

const BACKSLASH = 92;
const DQUOTE = 34;
const SQUOTE = 39;
const LBRACE = 123;
const RBRACE = 125;

/**
 * httpd's substring_conf: undo `\\` (and `\q` inside quotes; `quote` is the quote's character
 * code, or -1 outside quotes). A word without backslashes is a plain slice.
 */
function unescape(s: string, start: number, end: number, quote: number): string {
  let i = s.indexOf('\\', start);
  if (i === -1 || i >= end) return s.slice(start, end);
  let out = '';
  let last = start;
  for (; i < end; i++) {
    // httpd looks one character past the word here; that character is whitespace, the end
    // of the string or the closing quote, so it never forms an escape that the scan missed.
    if (s.charCodeAt(i) === BACKSLASH && i + 1 < end) {
      const c = s.charCodeAt(i + 1);
      if (c === BACKSLASH || c === quote) {
        out += s.slice(last, i);
        last = i + 1;
        i++;
      }
    }
  }
  return out + s.slice(last, end);
}

/** The word scanWord found last (kept here so that scanning a word allocates only the word). */
let scanned = '';

/**
 * Scan the word that starts at `i` (a non-blank character before `n`): sets `scanned` and
 * returns the index just after the word (and after its closing quote).
 */
function scanWord(text: string, i: number, n: number): number {
  // Space tests are written out (c === 32 || (c >= 9 && c <= 13): apr_isspace) in these loops,
  // which run for every character of a configuration, before the engine has inlined anything.
  const q = text.charCodeAt(i);
  let end: number;
  let backslash = false;
  if (q === DQUOTE || q === SQUOTE) {
    end = i + 1;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === q) break;
      if (c === BACKSLASH) {
        backslash = true;
        if (end + 1 < n) {
          const d = text.charCodeAt(end + 1);
          if (d === q || d === BACKSLASH) {
            end += 2;
            continue;
          }
        }
      }
      end++;
    }
    scanned = backslash ? unescape(text, i + 1, end, q) : text.slice(i + 1, end);
    if (end < n && text.charCodeAt(end) === q) end++;
  } else {
    end = i;
    while (end < n) {
      const c = text.charCodeAt(end);
      if (c === 32 || (c >= 9 && c <= 13)) break;
      if (c === BACKSLASH) backslash = true;
      end++;
    }
    scanned = backslash ? unescape(text, i, end, -1) : text.slice(i, end);
  }
  return end;
}

function skipSpace(text: string, i: number, n: number): number {
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) break;
    i++;
  }
  return i;
}

/** One word of `text` starting at `pos` (ap_getword_conf). `word` is '' at the end. */
export function getWordConf(text: string, pos = 0): WordResult {
  const n = text.length;
  const i = skipSpace(text, pos, n);
  if (i >= n) return { word: '', next: n };
  const end = scanWord(text, i, n);
  return { word: scanned, next: skipSpace(text, end, n) };
}

/** The first word of `text` (ap_getword_conf), without the position after it. */
export function firstWord(text: string): string {
  const n = text.length;
  const i = skipSpace(text, 0, n);
  if (i >= n) return '';
  scanWord(text, i, n);
  return scanned;
}

/**
 * ap_getword_conf2: as getWordConf, but a word may also be `{ … }` with nested braces, returned
 * without the outer braces (used for ap_expr arguments).
 */
export function getWordConf2(text: string, pos = 0): WordResult {
  const n = text.length;
  const i = skipSpace(text, pos, n);
  if (i >= n) return { word: '', next: n };
  if (text.charCodeAt(i) !== LBRACE) return getWordConf(text, i);
  let depth = 1;
  let end = i + 1;
  while (end < n) {
    const c = text.charCodeAt(end);
    if (c === BACKSLASH && text.charCodeAt(end + 1) === BACKSLASH) {
      end += 2;
      continue;
    }
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      depth--;
      if (depth === 0) break;
    }
    end++;
  }
  const word = unescape(text, i + 1, end, -1);
  if (end < n && text.charCodeAt(end) === RBRACE) end++;
  return { word, next: skipSpace(text, end, n) };
}

/** The words splitWords is collecting (reused from call to call). */
const wordBuffer: string[] = [];

/** Words up to this length are looked up in a WordTable (longer ones are seldom repeated). */
const SHORT_WORD = 16;
const SLOTS = 1024;

/**
 * Short words recently met while reading a configuration, so that the many lines repeating
 * one (`on`, `/`, `timeout=30`) share one string instead of keeping a copy each. A word's slot
 * is picked by a hash of its characters, and old words there make room for new ones. Cheaper
 * per word than a Map, which also grows with every word never seen again.
 */
export class WordTable {
  private readonly slots: string[] = new Array<string>(SLOTS).fill('');

  /** The word met before that equals `word`, or `word` itself. */
  share(word: string): string {
    const n = word.length;
    if (n === 0 || n > SHORT_WORD) return word;
    let h = n;
    for (let i = 0; i < n; i++) h = (h * 31 + word.charCodeAt(i)) | 0;
    // Two slots per word: the newest word met goes first, the one it displaces second.
    const a = (h ^ (h >>> 10)) & (SLOTS - 1);
    const b = a ^ 1;
    const first = this.slots[a];
    if (first === word) return first;
    const second = this.slots[b];
    if (second === word) return second;
    this.slots[b] = first;
    this.slots[a] = word;
    return word;
  }
}

/**
 * All words of `text` up to `end`, as repeated ap_getword_conf calls until the end of the
 * string. Empty quoted words (`""`) are kept as ''. With a WordTable, short words are shared.
 */
export function splitWords(text: string, end = text.length, table?: WordTable): string[] {
  // The loop is scanWord and skipSpace written out (property.test.ts checks that it splits as
  // getWordConf does): it runs for every word of a configuration, mostly before the engine
  // has inlined anything, and the calls were a good part of its time.
  const n = end;
  let pos = skipSpace(text, 0, n);
  if (pos >= n) return [];
  // Words are collected in a reused array and copied out at their exact count (an array grown
  // by push keeps room for 16 or more).
  const words = wordBuffer;
  let count = 0;
  while (pos < n) {
    const q = text.charCodeAt(pos);
    let e: number;
    let backslash = false;
    let word: string;
    if (q === DQUOTE || q === SQUOTE) {
      e = pos + 1;
      while (e < n) {
        const c = text.charCodeAt(e);
        if (c === q) break;
        if (c === BACKSLASH) {
          backslash = true;
          if (e + 1 < n) {
            const d = text.charCodeAt(e + 1);
            if (d === q || d === BACKSLASH) {
              e += 2;
              continue;
            }
          }
        }
        e++;
      }
      word = backslash ? unescape(text, pos + 1, e, q) : text.slice(pos + 1, e);
      if (e < n && text.charCodeAt(e) === q) e++;
    } else {
      e = pos;
      while (e < n) {
        const c = text.charCodeAt(e);
        if (c === 32 || (c >= 9 && c <= 13)) break;
        if (c === BACKSLASH) backslash = true;
        e++;
      }
      word = backslash ? unescape(text, pos, e, -1) : text.slice(pos, e);
    }
    words[count++] = table === undefined ? word : table.share(word);
    pos = e;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c !== 32 && (c < 9 || c > 13)) break;
      pos++;
    }
  }
  const out = words.slice(0, count);
  for (let i = 0; i < count; i++) words[i] = '';
  return out;
}

/** All words of `text` read with getWordConf2 (braces group a word). */
export function splitWords2(text: string): string[] {
  const words: string[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let i = pos;
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const r = getWordConf2(text, i);
    words.push(r.word);
    pos = r.next;
  }
  return words;
}
