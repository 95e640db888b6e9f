/**
 * Tokens of an httpd config file for the chevrotain grammar (parser.ts): one token per
 * logical line, except that a run of consecutive directive lines is one Name token.
 *
 * httpd reads a config file line by line (lines.ts joins physical lines and drops blank and
 * comment lines), and the first word of a line decides what the line is:
 *   `</…`  end tag (CloseTag)
 *   `<…`   opening tag of a section (OpenTag)
 *   other  a directive (Name; the name may be quoted, as ap_getword_conf allows)
 * and a line too long to be read at all is Invalid. The grammar never looks at the words
 * after the first: they are split by words.ts (ap_getword_conf) once `${VAR}` expansion has
 * made the final text, and that is what decides the words httpd sees. So the file is tokenized
 * in one pass over its logical lines, by the first characters of each.
 *
 * The grammar only needs each token's type, so every token of one type is the same object,
 * and what the grammar's actions need of a line (where its text is, its line numbers and
 * column, where its run of directive lines ends) is kept in flat arrays of a LineTable,
 * indexed by the line's position in the file. A large file thus costs a few arrays instead of
 * an object and a string per line; a line's text is cut from the file's text only when its
 * node is made. Directive lines come in runs (a `<VirtualHost>` body, the top of a file), and
 * the grammar treats the lines of a run alike, so one token stands for the run.
 */
import type { IToken, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';
import { MAX_LINE_LENGTH, scanLines, type LineSink, type LogicalLine } from './lines.js';

export const CloseTag = createToken({ name: 'CloseTag', pattern: Lexer.NA });
export const OpenTag = createToken({ name: 'OpenTag', pattern: Lexer.NA });
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** A line httpd rejects before looking at its words (too long). */
export const Invalid = createToken({ name: 'Invalid', pattern: Lexer.NA });

export const allTokens: TokenType[] = [CloseTag, OpenTag, Name, Invalid];

/** Line kinds, as stored in LineTable.kinds (indexes into LINE_TOKENS). */
export const NAME = 0;
export const OPEN_TAG = 1;
export const CLOSE_TAG = 2;
export const INVALID = 3;

function sharedToken(type: TokenType): IToken {
  return {
    image: '',
    startOffset: 0,
    endOffset: 0,
    startLine: 0,
    endLine: 0,
    startColumn: 0,
    tokenType: type,
    tokenTypeIdx: type.tokenTypeIdx ?? 0,
  };
}

/** The token of every line of one kind, by kind. */
const LINE_TOKENS: readonly IToken[] = [sharedToken(Name), sharedToken(OpenTag), sharedToken(CloseTag), sharedToken(Invalid)];

const LT = 60;
const SLASH = 47;

/** The logical lines of one file: the grammar's tokens, and each line's text and position. */
export class LineTable implements LineSink {
  count = 0;
  /** One token per line, or per run of NAME lines (tokens of one kind are one shared object). */
  readonly tokens: IToken[] = [];
  /** NAME, OPEN_TAG, CLOSE_TAG or INVALID, per line. */
  kinds: Uint8Array;
  /** For the first line of a token: the index of the first line after the token's lines. */
  tokenEnd: Int32Array;
  /** The first line of the last token. */
  private lastToken = -1;
  /** The line's text is src from start to end; start is -1 when the text is in `own`. */
  private start: Int32Array;
  private end: Int32Array;
  /** First and last physical line (1-based); httpd reports the last. */
  firstLine: Int32Array;
  lastLine: Int32Array;
  /** 1-based column of the line's first non-blank character. */
  column: Int32Array;
  /** The text of lines that are not a range of src (continued lines, lines given as strings). */
  private readonly own = new Map<number, string>();

  constructor(
    readonly src: string,
    capacity: number,
  ) {
    const n = Math.max(16, capacity);
    this.kinds = new Uint8Array(n);
    this.tokenEnd = new Int32Array(n);
    this.start = new Int32Array(n);
    this.end = new Int32Array(n);
    this.firstLine = new Int32Array(n);
    this.lastLine = new Int32Array(n);
    this.column = new Int32Array(n);
  }

  /** Add the line whose text is `base` from `a` to `b` (a range of src unless base is another string). */
  add(base: string, a: number, b: number, firstLine: number, lastLine: number, column: number, tooLong: boolean): void {
    const i = this.count;
    if (i === this.kinds.length) this.grow();
    const kind = tooLong ? INVALID : base.charCodeAt(a) !== LT ? NAME : base.charCodeAt(a + 1) === SLASH ? CLOSE_TAG : OPEN_TAG;
    this.kinds[i] = kind;
    if (base === this.src) {
      this.start[i] = a;
      this.end[i] = b;
    } else {
      this.start[i] = -1;
      this.own.set(i, base.slice(a, b));
    }
    this.firstLine[i] = firstLine;
    this.lastLine[i] = lastLine;
    this.column[i] = column;
    if (kind === NAME && this.lastToken >= 0 && this.kinds[this.lastToken] === NAME) {
      this.tokenEnd[this.lastToken] = i + 1;
    } else {
      this.lastToken = i;
      this.tokenEnd[i] = i + 1;
      this.tokens.push(LINE_TOKENS[kind]);
    }
    this.count = i + 1;
  }

  /** The trimmed text of line `i` (continuations joined). */
  text(i: number): string {
    const a = this.start[i];
    return a === -1 ? (this.own.get(i) as string) : this.src.slice(a, this.end[i]);
  }

  private grow(): void {
    const n = this.kinds.length * 2;
    const copy = <T extends Uint8Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.kinds = copy(this.kinds, new Uint8Array(n));
    this.tokenEnd = copy(this.tokenEnd, new Int32Array(n));
    this.start = copy(this.start, new Int32Array(n));
    this.end = copy(this.end, new Int32Array(n));
    this.firstLine = copy(this.firstLine, new Int32Array(n));
    this.lastLine = copy(this.lastLine, new Int32Array(n));
    this.column = copy(this.column, new Int32Array(n));
  }
}

/** The lines of a file's text, blank and comment lines left out. */
export function tokenizeText(text: string, maxLength = MAX_LINE_LENGTH): LineTable {
  // About one logical line per 40 characters in usual configurations; the table grows if not.
  const table = new LineTable(text, (text.length >> 5) + 16);
  scanLines(text, maxLength, true, table);
  return table;
}

/** The lines of logical lines (blank and comment lines already removed). */
export function tokenizeLines(lines: LogicalLine[]): LineTable {
  const table = new LineTable('', lines.length);
  for (const l of lines) table.add(l.text, 0, l.text.length, l.firstLine, l.lastLine, l.column, l.tooLong === true);
  return table;
}
