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

const SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/** apr_isspace in the C locale. */
export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.has(ch);
}

/** Strip leading and trailing apr_isspace characters. */
export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && SPACE.has(s[a])) a++;
  while (b > a && SPACE.has(s[b - 1])) b--;
  return s.slice(a, b);
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
  const src = text;
  const out: LogicalLine[] = [];
  let physical = 0;
  let pos = 0;
  const n = src.length;
  while (pos < n) {
    const firstLine = physical + 1;
    let joined = '';
    let column = 0;
    let first = true;
    for (;;) {
      let end = src.indexOf('\n', pos);
      const hadNewline = end !== -1;
      if (!hadNewline) end = n;
      let line = src.slice(pos, end);
      pos = hadNewline ? end + 1 : n;
      physical++;
      if (line.endsWith('\r') && hadNewline) line = line.slice(0, -1);
      if (first) {
        let c = 0;
        while (c < line.length && SPACE.has(line[c])) c++;
        column = c + 1;
        first = false;
      }
      if (line.endsWith('\\') && hadNewline) {
        joined += line.slice(0, -1);
        if (pos < n) continue;
      } else {
        joined += line;
      }
      break;
    }
    const entry: LogicalLine = { text: trimSpace(joined), firstLine, lastLine: physical, column };
    if (joined.length > maxLength) entry.tooLong = true;
    out.push(entry);
  }
  return out;
}

/** Whether httpd's config builder ignores this (trimmed) logical line. */
export function isSkippable(text: string): boolean {
  return text === '' || text[0] === '#';
}

/** The logical lines httpd's config builder looks at: blank and `#` lines removed. */
export function logicalLines(text: string, maxLength = MAX_LINE_LENGTH): LogicalLine[] {
  return allLogicalLines(text, maxLength).filter((l) => !isSkippable(l.text) || l.tooLong);
}
