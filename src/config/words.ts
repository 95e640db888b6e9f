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
import { isSpace } from './lines.js';

export interface WordResult {
  word: string;
  /** Index just after the word and the whitespace that follows it. */
  next: number;
}

/** httpd's substring_conf: undo `\\` (and `\q` inside quotes). */
function unescape(s: string, start: number, end: number, quote: string): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = s[i];
    // httpd looks one character past the word here; that character is whitespace, the end
    // of the string or the closing quote, so it never forms an escape that the scan missed.
    if (c === '\\' && i + 1 < end && (s[i + 1] === '\\' || (quote !== '' && s[i + 1] === quote))) {
      out += s[i + 1];
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** One word of `text` starting at `pos` (ap_getword_conf). `word` is '' at the end. */
export function getWordConf(text: string, pos = 0): WordResult {
  let i = pos;
  const n = text.length;
  while (i < n && isSpace(text[i])) i++;
  if (i >= n) return { word: '', next: n };
  const q = text[i];
  let word: string;
  let end: number;
  if (q === '"' || q === "'") {
    end = i + 1;
    while (end < n && text[end] !== q) {
      if (text[end] === '\\' && end + 1 < n && (text[end + 1] === q || text[end + 1] === '\\')) end += 2;
      else end++;
    }
    word = unescape(text, i + 1, end, q);
    if (end < n && text[end] === q) end++;
  } else {
    end = i;
    while (end < n && !isSpace(text[end])) end++;
    word = unescape(text, i, end, '');
  }
  while (end < n && isSpace(text[end])) end++;
  return { word, next: end };
}

/**
 * ap_getword_conf2: as getWordConf, but a word may also be `{ … }` with nested braces, returned
 * without the outer braces (used for ap_expr arguments).
 */
export function getWordConf2(text: string, pos = 0): WordResult {
  let i = pos;
  const n = text.length;
  while (i < n && isSpace(text[i])) i++;
  if (i >= n) return { word: '', next: n };
  if (text[i] !== '{') return getWordConf(text, i);
  let depth = 1;
  let end = i + 1;
  while (end < n) {
    const c = text[end];
    if (c === '\\' && text[end + 1] === '\\') {
      end += 2;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) break;
    }
    end++;
  }
  const word = unescape(text, i + 1, end, '');
  if (end < n && text[end] === '}') end++;
  while (end < n && isSpace(text[end])) end++;
  return { word, next: end };
}

/**
 * All words of `text`, as repeated ap_getword_conf calls until the end of the string.
 * Empty quoted words (`""`) are kept as ''.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let i = pos;
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const r = getWordConf(text, i);
    words.push(r.word);
    pos = r.next;
  }
  return words;
}

/** All words of `text` read with getWordConf2 (braces group a word). */
export function splitWords2(text: string): string[] {
  const words: string[] = [];
  let pos = 0;
  const n = text.length;
  while (pos < n) {
    let i = pos;
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const r = getWordConf2(text, i);
    words.push(r.word);
    pos = r.next;
  }
  return words;
}
