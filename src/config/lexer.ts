/**
 * Tokens of one logical line of an httpd config file (chevrotain lexer).
 *
 * httpd reads a config file line by line (see lines.ts for how physical lines are joined),
 * so the lexer works on one logical line at a time and the parser sees the lines of a file
 * as a token stream in which every line ends with an `Eol` token.
 *
 * The first word of a line decides what the line is:
 *   `</…`  end tag (CloseTag)
 *   `<…`   opening tag of a section (OpenTag)
 *   other  a directive name (Name; may be quoted, as ap_getword_conf allows)
 * The remaining words are arguments: a quoted word (`"…"` or `'…'`, escapes `\"` `\'` `\\`,
 * the closing quote may be missing) or a run of non-blank characters (Word).
 */
import type { IToken, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';
import type { LogicalLine } from './lines.js';

/** httpd's whitespace (apr_isspace in the C locale). */
const WS_CLASS = ' \\t\\n\\v\\f\\r';

export const Blank = createToken({ name: 'Blank', pattern: new RegExp(`[${WS_CLASS}]+`), group: Lexer.SKIPPED });
export const CloseTag = createToken({ name: 'CloseTag', pattern: new RegExp(`</[^${WS_CLASS}]*`), push_mode: 'args' });
export const OpenTag = createToken({ name: 'OpenTag', pattern: new RegExp(`<[^${WS_CLASS}]*`), push_mode: 'args' });
const QUOTED = `"(?:\\\\["\\\\]|[^"])*"?|'(?:\\\\['\\\\]|[^'])*'?`;
export const Name = createToken({
  name: 'Name',
  pattern: new RegExp(`${QUOTED}|[^${WS_CLASS}"'][^${WS_CLASS}]*`),
  push_mode: 'args',
});
export const Quoted = createToken({ name: 'Quoted', pattern: new RegExp(QUOTED) });
export const Word = createToken({ name: 'Word', pattern: new RegExp(`[^${WS_CLASS}"'][^${WS_CLASS}]*`) });
/** End of a logical line; inserted by `tokenizeLines`, never matched from text. */
export const Eol = createToken({ name: 'Eol', pattern: Lexer.NA });
/** A line httpd rejects before looking at its words (too long); inserted by `tokenizeLines`. */
export const Invalid = createToken({ name: 'Invalid', pattern: Lexer.NA });

export const allTokens: TokenType[] = [Blank, CloseTag, OpenTag, Name, Quoted, Word, Eol, Invalid];

const lineLexer = new Lexer(
  {
    modes: {
      start: [Blank, CloseTag, OpenTag, Name],
      args: [Blank, Quoted, Word],
    },
    defaultMode: 'start',
  },
  { positionTracking: 'onlyOffset', ensureOptimizations: false },
);

/** The tokens of one logical line (trimmed, non-empty), without the Eol. */
export function tokenizeLine(text: string): IToken[] {
  const r = lineLexer.tokenize(text);
  // The patterns cover every character, so errors cannot happen; a line that still failed to
  // lex is treated as a lone name so that parsing goes on.
  if (r.errors.length > 0 || r.tokens.length === 0) {
    return [synthetic(Name, text, 0)];
  }
  return r.tokens;
}

function synthetic(type: TokenType, image: string, offset: number): IToken {
  return {
    image,
    startOffset: offset,
    endOffset: offset + Math.max(image.length - 1, 0),
    tokenType: type,
    tokenTypeIdx: type.tokenTypeIdx ?? 0,
  };
}

/** A token stream for a file plus, for every line-starting token, the logical line it begins. */
export interface LineTokens {
  tokens: IToken[];
  lineOf: Map<IToken, LogicalLine>;
}

/** Tokens of every logical line, each line closed by an Eol token. */
export function tokenizeLines(lines: LogicalLine[]): LineTokens {
  const tokens: IToken[] = [];
  const lineOf = new Map<IToken, LogicalLine>();
  for (const line of lines) {
    const lineTokens = line.tooLong ? [synthetic(Invalid, '', 0)] : tokenizeLine(line.text);
    for (const t of lineTokens) {
      t.startLine = line.firstLine;
      t.endLine = line.lastLine;
      t.startColumn = line.column + t.startOffset;
    }
    lineOf.set(lineTokens[0], line);
    for (const t of lineTokens) tokens.push(t);
    const eol = synthetic(Eol, '', line.text.length);
    eol.startLine = line.lastLine;
    eol.endLine = line.lastLine;
    tokens.push(eol);
  }
  return { tokens, lineOf };
}
