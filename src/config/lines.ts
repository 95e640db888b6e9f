/**
 * Physical lines → logical lines, as httpd's ap_varbuf_cfg_getline / cfg_trim_line do.
 *
 *  - a UTF-8 byte order mark is NOT dropped: httpd 2.4 keeps it as part of the first line
 *    (observed with 2.4.71: `Invalid command '\xef\xbb\xbfServerName'`);
 *  - a physical line ends at LF; a CR just before the LF is dropped;
 *  - a backslash that is literally the last character of a physical line joins the next
 *    physical line directly (no space inserted); this happens before comments are recognised,
 *    so a comment line ending in `\` swallows the next line;
 *  - leading and trailing whitespace (space, \t, \n, \v, \f, \r) is trimmed;
 *  - empty lines and lines starting with `#` are skipped (by `logicalLines`).
 */

/** httpd's VARBUF_MAX_LEN: the longest logical line accepted in a config file. */
export const MAX_LINE_LENGTH = 16 * 1024 * 1024;

export interface LogicalLine {
  /** The trimmed text, continuations joined. */
  text: string;
  /** First physical line (1-based). */
  firstLine: number;
  /** Last physical line (httpd reports this one). */
  lastLine: number;
  /** 1-based column of the first non-blank character on the first physical line. */
  column: number;
  /** Set when the joined line exceeds MAX_LINE_LENGTH (httpd: "Line too long"). */
  tooLong?: boolean;
}

/** apr_isspace in the C locale, on a character code: space, \t, \n, \v, \f, \r. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** apr_isspace in the C locale. */
export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && isSpaceCode(ch.charCodeAt(0));
}

/** Strip leading and trailing apr_isspace characters. */
export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpaceCode(s.charCodeAt(a))) a++;
  while (b > a && isSpaceCode(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Whether the text starts with a UTF-8 byte order mark (which httpd does not skip). */
export function hasBom(text: string): boolean {
  return text.startsWith('\uFEFF');
}

/**
 * Every logical line of `text`, including blank and comment lines (httpd's line reader
 * returns those too; the config builder skips them). `maxLength` defaults to httpd's limit.
 */
export function allLogicalLines(text: string, maxLength = MAX_LINE_LENGTH): LogicalLine[] {
  const sink = new LogicalLineList();
  scanLines(text, maxLength, false, sink);
  return sink.lines;
}

/** Whether httpd's config builder ignores this (trimmed) logical line. */
export function isSkippable(text: string): boolean {
  return text === '' || text[0] === '#';
}

/** The logical lines httpd's config builder looks at: blank and `#` lines removed. */
export function logicalLines(text: string, maxLength = MAX_LINE_LENGTH): LogicalLine[] {
  const sink = new LogicalLineList();
  scanLines(text, maxLength, true, sink);
  return sink.lines;
}

/**
 * Takes the logical lines of the line reader. A line's trimmed text is `base` from `a` to `b`:
 * `base` is the file's text, or the joined text of a continued line.
 */
export interface LineSink {
  add(base: string, a: number, b: number, firstLine: number, lastLine: number, column: number, tooLong: boolean): void;
}

class LogicalLineList implements LineSink {
  readonly lines: LogicalLine[] = [];

  add(base: string, a: number, b: number, firstLine: number, lastLine: number, column: number, tooLong: boolean): void {
    const entry: LogicalLine = { text: base.slice(a, b), firstLine, lastLine, column };
    if (tooLong) entry.tooLong = true;
    this.lines.push(entry);
  }
}

const CR = 13;
const BACKSLASH = 92;
const HASH = 35;

/**
 * The line reader: one pass over the text, giving each logical line to `sink`. A logical line
 * made of one physical line (the usual case) is a range of `src`, not copied; continued lines
 * are joined first. With `skip`, blank and `#` lines are dropped (lines too long are always
 * kept).
 */
export function scanLines(src: string, maxLength: number, skip: boolean, sink: LineSink): void {
  const n = src.length;
  let physical = 0;
  let pos = 0;
  while (pos < n) {
    // The usual line: ends with a newline, not continued. Blanks are tested inline (apr_isspace:
    // space, \t to \r); this runs for every line of every file.
    const newline = src.indexOf('\n', pos);
    if (newline !== -1) {
      let lineEnd = newline;
      if (lineEnd > pos && src.charCodeAt(lineEnd - 1) === CR) lineEnd--;
      if (lineEnd === pos || src.charCodeAt(lineEnd - 1) !== BACKSLASH) {
        physical++;
        let a = pos;
        while (a < lineEnd) {
          const ch = src.charCodeAt(a);
          if (ch !== 32 && (ch < 9 || ch > 13)) break;
          a++;
        }
        const column = a - pos + 1;
        let b = lineEnd;
        while (b > a) {
          const ch = src.charCodeAt(b - 1);
          if (ch !== 32 && (ch < 9 || ch > 13)) break;
          b--;
        }
        const tooLong = lineEnd - pos > maxLength;
        pos = newline + 1;
        if (skip && !tooLong && (a === b || src.charCodeAt(a) === HASH)) continue;
        sink.add(src, a, b, physical, physical, column, tooLong);
        continue;
      }
    }
    // Continued lines, and the last line when no newline ends it.
    const firstLine = physical + 1;
    let joined: string | undefined;
    let start = pos;
    let end = pos;
    let column = 0;
    let first = true;
    for (;;) {
      let nl = src.indexOf('\n', pos);
      const hadNewline = nl !== -1;
      if (!hadNewline) nl = n;
      const lineStart = pos;
      let lineEnd = nl;
      pos = hadNewline ? nl + 1 : n;
      physical++;
      if (hadNewline && lineEnd > lineStart && src.charCodeAt(lineEnd - 1) === CR) lineEnd--;
      if (first) {
        let c = lineStart;
        // apr_isspace written out: this loop and the trims below run on every line.
        while (c < lineEnd) {
          const ch = src.charCodeAt(c);
          if (ch !== 32 && (ch < 9 || ch > 13)) break;
          c++;
        }
        column = c - lineStart + 1;
        first = false;
      }
      const continued = hadNewline && lineEnd > lineStart && src.charCodeAt(lineEnd - 1) === BACKSLASH;
      const pieceEnd = continued ? lineEnd - 1 : lineEnd;
      if (joined === undefined && (!continued || pos >= n)) {
        // The whole logical line is one piece of src.
        start = lineStart;
        end = pieceEnd;
        break;
      }
      joined = (joined ?? '') + src.slice(lineStart, pieceEnd);
      if (continued && pos < n) continue;
      break;
    }
    let length: number;
    let a: number;
    let b: number;
    let base: string;
    if (joined === undefined) {
      base = src;
      a = start;
      b = end;
      length = end - start;
    } else {
      base = joined;
      a = 0;
      b = joined.length;
      length = joined.length;
    }
    while (a < b) {
      const ch = base.charCodeAt(a);
      if (ch !== 32 && (ch < 9 || ch > 13)) break;
      a++;
    }
    while (b > a) {
      const ch = base.charCodeAt(b - 1);
      if (ch !== 32 && (ch < 9 || ch > 13)) break;
      b--;
    }
    const tooLong = length > maxLength;
    if (skip && !tooLong && (a === b || base.charCodeAt(a) === HASH)) continue;
    sink.add(base, a, b, firstLine, physical, column, tooLong);
  }
}
