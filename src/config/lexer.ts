/**
 * Tokens of an httpd config file for the chevrotain grammar (parser.ts): one token per
 * logical line.
 *
 * httpd reads a config file line by line (lines.ts joins physical lines and drops blank and
 * comment lines), and the first word of a line decides what the line is:
 *   `</…`  end tag (CloseTag)
 *   `<…`   opening tag of a section (OpenTag)
 *   other  a directive (Name; the name may be quoted, as ap_getword_conf allows)
 * and a line too long to be read at all is Invalid. The grammar never looks at the words
 * after the first: they are split by words.ts (ap_getword_conf) once `${VAR}` expansion has
 * made the final text, and that is what decides the words httpd sees. So the file is tokenized
 * in one pass over its logical lines, by the first characters of each, and every token
 * carries what the grammar's actions need of its line.
 */
import type { IToken, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';
import { MAX_LINE_LENGTH, scanLines, type LogicalLine } from './lines.js';

export const CloseTag = createToken({ name: 'CloseTag', pattern: Lexer.NA });
export const OpenTag = createToken({ name: 'OpenTag', pattern: Lexer.NA });
export const Name = createToken({ name: 'Name', pattern: Lexer.NA });
/** A line httpd rejects before looking at its words (too long). */
export const Invalid = createToken({ name: 'Invalid', pattern: Lexer.NA });

export const allTokens: TokenType[] = [CloseTag, OpenTag, Name, Invalid];

const LT = 60;
const SLASH = 47;

/** The token type of a logical line (trimmed, non-empty). */
function lineTokenType(text: string, tooLong: boolean): TokenType {
  if (tooLong) return Invalid;
  if (text.charCodeAt(0) !== LT) return Name;
  return text.charCodeAt(1) === SLASH ? CloseTag : OpenTag;
}

/**
 * A line's token. The image is the whole logical line (trimmed, continuations joined);
 * startLine/endLine are its first and last physical lines, startColumn the column of its first
 * character.
 */
export interface LineToken extends IToken {
  image: string;
  startLine: number;
  endLine: number;
  startColumn: number;
}

function lineToken(text: string, firstLine: number, lastLine: number, column: number, tooLong: boolean): LineToken {
  const type = lineTokenType(text, tooLong);
  return {
    image: text,
    startOffset: firstLine,
    endOffset: lastLine,
    startLine: firstLine,
    endLine: lastLine,
    startColumn: column,
    tokenType: type,
    tokenTypeIdx: type.tokenTypeIdx ?? 0,
  };
}

/** The tokens of a file's text: one per logical line, blank and comment lines left out. */
export function tokenizeText(text: string, maxLength = MAX_LINE_LENGTH): LineToken[] {
  return scanLines(text, maxLength, true, lineToken);
}

/** The tokens of logical lines (blank and comment lines already removed), one per line. */
export function tokenizeLines(lines: LogicalLine[]): LineToken[] {
  return lines.map((l) => lineToken(l.text, l.firstLine, l.lastLine, l.column, l.tooLong === true));
}
