/**
 * Scanner for httpd's expression language (ap_expr), following httpd 2.4's flex scanner
 * (server/util_expr_scan.l) closely enough to give the same tokens and the same errors.
 *
 * Two steps:
 *  1. A chevrotain multi-mode lexer cuts the text into raw pieces. Modes mirror flex's start
 *     conditions: `expr` (INITIAL), `dq`/`sq` (inside "…" / '…'), `top` (the whole text of a
 *     string expression), `var` (after `%{`) and `vararg` (after `%{NAME:`).
 *  2. `cook` walks the pieces as the flex actions do: it joins string text into one T_STRING
 *     (flushed before `%{` and `$N`), decodes escapes, classifies words and dash-operators,
 *     and turns the scanner's error actions into a T_ERROR token carrying the message (flex's
 *     `PERROR`) or a JAM token (flex's fatal "flex scanner jammed", which ends httpd).
 *
 * flex scans lazily, so a scanner error after the point where the parser fails is never seen;
 * the cooked token list therefore simply stops at the first error and the parser decides.
 *
 * Token names are bison's own (`T_OP_STR_EQ`, `'('`, `$end` …) because httpd prints them in
 * its syntax errors.
 */
import type { TokenType, CustomPatternMatcherFunc } from 'chevrotain';
import { createToken, Lexer } from '../config/chevrotain.js';

/** Terminal symbols in bison's numbering order (the order expected-token lists use). */
export const TERMINALS = [
  '$end',
  'T_TRUE',
  'T_FALSE',
  'T_EXPR_BOOL',
  'T_EXPR_STRING',
  'T_ERROR',
  'T_DIGIT',
  'T_ID',
  'T_STRING',
  'T_REGEX',
  'T_REGEX_I',
  'T_REGEX_BACKREF',
  'T_OP_UNARY',
  'T_OP_BINARY',
  'T_STR_BEGIN',
  'T_STR_END',
  'T_VAR_BEGIN',
  'T_VAR_END',
  'T_OP_EQ',
  'T_OP_NE',
  'T_OP_LT',
  'T_OP_LE',
  'T_OP_GT',
  'T_OP_GE',
  'T_OP_REG',
  'T_OP_NRE',
  'T_OP_IN',
  'T_OP_STR_EQ',
  'T_OP_STR_NE',
  'T_OP_STR_LT',
  'T_OP_STR_LE',
  'T_OP_STR_GT',
  'T_OP_STR_GE',
  'T_OP_CONCAT',
  'T_OP_OR',
  'T_OP_AND',
  'T_OP_NOT',
  "'('",
  "')'",
  "'{'",
  "'}'",
  "','",
  "':'",
] as const;

export type TokName = (typeof TERMINALS)[number];

/** One token as the parser sees it. `JAM` is not a grammar symbol: reaching it is fatal. */
export interface Tok {
  name: TokName | 'JAM';
  /** Semantic value: string contents (escapes decoded), identifier, operator name, regex body, digit text, backref number. */
  value: string;
  /** Offset of the token in the expression text. */
  offset: number;
  /** For T_ERROR: the scanner's message (httpd's `error2`). */
  error?: string;
}

/** httpd's MAX_STRING_LEN: size of the scanner's string and regex buffers. */
const MAX_STRING_LEN = 8192;

// ---------------------------------------------------------------------------------------------
// Raw pieces (chevrotain tokens)

const M = {
  EXPR: 'expr',
  DQ: 'dq',
  SQ: 'sq',
  TOP: 'top',
  VAR: 'var',
  VARARG: 'vararg',
} as const;

const REGEX_DELIMS = '/#$%^,;:_?|-!.\'"';

/**
 * `/…/` or `m<d>…<d>`, with an optional `i`. flex's regex start rule is two characters long for
 * the `m` form, so an identifier that is longer (`m_x`) wins over it (longest match).
 * A regex without its closing delimiter swallows the rest of the input: flex then reports
 * end of input (no EOF rule exists for the regex state).
 */
const matchRegex: CustomPatternMatcherFunc = (text, offset) => {
  let start: number;
  let delim: string;
  if (text[offset] === '/') {
    delim = '/';
    start = offset + 1;
  } else if (text[offset] === 'm' && offset + 1 < text.length && REGEX_DELIMS.includes(text[offset + 1])) {
    delim = text[offset + 1];
    if (delim === '_' && /[A-Za-z0-9_]/.test(text[offset + 2] ?? '')) return null;
    start = offset + 2;
  } else {
    return null;
  }
  const end = text.indexOf(delim, start);
  let stop = end < 0 ? text.length : end + 1;
  if (end >= 0 && text[stop] === 'i') stop++;
  const m = [text.slice(offset, stop)] as unknown as RegExpExecArray;
  return m;
};

const WS = createToken({ name: 'WS', pattern: /[ \t\n]+/, group: Lexer.SKIPPED, line_breaks: true });
const DQ_OPEN = createToken({ name: 'DQ_OPEN', pattern: /"/, push_mode: M.DQ });
const SQ_OPEN = createToken({ name: 'SQ_OPEN', pattern: /'/, push_mode: M.SQ });
const VAR_OPEN = createToken({ name: 'VAR_OPEN', pattern: /%\{/, push_mode: M.VAR });
const BACKREF = createToken({ name: 'BACKREF', pattern: /\$[0-9]/ });
const REGEX = createToken({ name: 'REGEX', pattern: matchRegex, line_breaks: true, start_chars_hint: ['/', 'm'] });
const OP = createToken({ name: 'OP', pattern: /=~|==?|!=|!~|!|<=|<|>=|>|&&|\|\||\./ });
const DASHWORD = createToken({ name: 'DASHWORD', pattern: /-[A-Za-z_][A-Za-z0-9_]*/ });
const DIGIT = createToken({ name: 'DIGIT', pattern: /-?[0-9]+/ });
const WORD = createToken({ name: 'WORD', pattern: /[A-Za-z][A-Za-z0-9_]*/ });
const PUNCT = createToken({ name: 'PUNCT', pattern: /[(){},:]/ });
const BAD = createToken({ name: 'BAD', pattern: /[^]/, line_breaks: true });

const ESC_DIGITS = createToken({ name: 'ESC_DIGITS', pattern: /\\[0-9]+/ });
const ESC = createToken({ name: 'ESC', pattern: /\\[^]/, line_breaks: true });
const LONE_BACKSLASH = createToken({ name: 'LONE_BACKSLASH', pattern: /\\/ });
const TEXT = createToken({ name: 'TEXT', pattern: /[^\\\n"'%}$]+/ });
const LITERAL = createToken({ name: 'LITERAL', pattern: /[$%}]/ });
const LITERAL_PCT = createToken({ name: 'LITERAL_PCT', pattern: /[$%]/ });
const NEWLINE = createToken({ name: 'NEWLINE', pattern: /\n/, line_breaks: true });
const DQ_CLOSE = createToken({ name: 'DQ_CLOSE', pattern: /"/, pop_mode: true });
const SQ_CLOSE = createToken({ name: 'SQ_CLOSE', pattern: /'/, pop_mode: true });
const QUOTE_LIT = createToken({ name: 'QUOTE_LIT', pattern: /["']/ });
const QUOTE_JAM = createToken({ name: 'QUOTE_JAM', pattern: /["']/ });
const VARARG_CLOSE = createToken({ name: 'VARARG_CLOSE', pattern: /\}/, pop_mode: true });

const VAR_ID = createToken({ name: 'VAR_ID', pattern: /[A-Za-z][A-Za-z0-9_]*/ });
const VAR_CLOSE = createToken({ name: 'VAR_CLOSE', pattern: /\}/, pop_mode: true });
const VAR_COLON = createToken({ name: 'VAR_COLON', pattern: /:/, pop_mode: true, push_mode: M.VARARG });
const VAR_BAD = createToken({ name: 'VAR_BAD', pattern: /[^]/, line_breaks: true });

const stringCommon: TokenType[] = [ESC_DIGITS, ESC, LONE_BACKSLASH, BACKREF, VAR_OPEN, TEXT, NEWLINE];

/** Built on first use: configurations without expressions (and `featherd -v`) never need it. */
let rawLexerBuilt: InstanceType<typeof Lexer> | undefined;

function rawLexer(): InstanceType<typeof Lexer> {
  return (rawLexerBuilt ??= new Lexer(
    {
      defaultMode: M.EXPR,
      modes: {
        [M.EXPR]: [WS, DQ_OPEN, SQ_OPEN, VAR_OPEN, BACKREF, REGEX, OP, DASHWORD, DIGIT, WORD, PUNCT, BAD],
        [M.DQ]: [...stringCommon, LITERAL, DQ_CLOSE, QUOTE_LIT],
        [M.SQ]: [...stringCommon, LITERAL, SQ_CLOSE, QUOTE_LIT],
        [M.TOP]: [...stringCommon, LITERAL, QUOTE_LIT],
        [M.VAR]: [NEWLINE, VAR_ID, VAR_CLOSE, VAR_COLON, VAR_BAD],
        [M.VARARG]: [...stringCommon, LITERAL_PCT, VARARG_CLOSE, QUOTE_JAM],
      },
    },
    { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true },
  ));
}

// ---------------------------------------------------------------------------------------------
// Cooking

const WORD_KEYWORDS: Record<string, TokName> = {
  true: 'T_TRUE',
  false: 'T_FALSE',
  and: 'T_OP_AND',
  or: 'T_OP_OR',
  not: 'T_OP_NOT',
  lt: 'T_OP_LT',
  le: 'T_OP_LE',
  gt: 'T_OP_GT',
  ge: 'T_OP_GE',
  ne: 'T_OP_NE',
  eq: 'T_OP_EQ',
  in: 'T_OP_IN',
};

const DASH_KEYWORDS: Record<string, TokName> = {
  '-in': 'T_OP_IN',
  '-eq': 'T_OP_EQ',
  '-ne': 'T_OP_NE',
  '-ge': 'T_OP_GE',
  '-le': 'T_OP_LE',
  '-gt': 'T_OP_GT',
  '-lt': 'T_OP_LT',
};

const OPERATORS: Record<string, TokName> = {
  '=': 'T_OP_STR_EQ',
  '==': 'T_OP_STR_EQ',
  '!=': 'T_OP_STR_NE',
  '<': 'T_OP_STR_LT',
  '<=': 'T_OP_STR_LE',
  '>': 'T_OP_STR_GT',
  '>=': 'T_OP_STR_GE',
  '=~': 'T_OP_REG',
  '!~': 'T_OP_NRE',
  '&&': 'T_OP_AND',
  '||': 'T_OP_OR',
  '!': 'T_OP_NOT',
  '.': 'T_OP_CONCAT',
};

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

const UNTERMINATED = 'Unterminated string or variable';

/**
 * Scan an expression. `stringResult` selects httpd's AP_EXPR_FLAG_STRING_RESULT form (the text
 * is a string with `%{…}` and `$N` interpolation). The list always starts with T_EXPR_BOOL or
 * T_EXPR_STRING and ends with `$end`, a T_ERROR or a JAM.
 */
export function scan(text: string, stringResult: boolean): Tok[] {
  const out: Tok[] = [{ name: stringResult ? 'T_EXPR_STRING' : 'T_EXPR_BOOL', value: '', offset: 0 }];
  const raw = rawLexer().tokenize(text, stringResult ? M.TOP : M.EXPR).tokens;
  const modes: string[] = [stringResult ? M.TOP : M.EXPR];
  let buf = '';
  let bufStart = 0;
  const push = (name: TokName, value: string, offset: number): void => {
    out.push({ name, value, offset });
  };
  const flush = (): void => {
    if (buf !== '') push('T_STRING', buf, bufStart);
    buf = '';
  };
  const append = (s: string, offset: number): void => {
    if (buf === '') bufStart = offset;
    buf += s;
  };
  const error = (message: string, offset: number): Tok[] => {
    out.push({ name: 'T_ERROR', value: '', offset, error: message });
    return out;
  };
  for (const t of raw) {
    const img = t.image;
    const at = t.startOffset;
    const mode = modes[modes.length - 1];
    switch (t.tokenType) {
      case DQ_OPEN:
      case SQ_OPEN:
        modes.push(t.tokenType === DQ_OPEN ? M.DQ : M.SQ);
        push('T_STR_BEGIN', img, at);
        break;
      case VAR_OPEN:
        flush();
        modes.push(M.VAR);
        push('T_VAR_BEGIN', img, at);
        break;
      case BACKREF:
        flush();
        push('T_REGEX_BACKREF', img[1], at);
        break;
      case REGEX: {
        const delim = img[0] === '/' ? '/' : img[1];
        const bodyStart = img[0] === '/' ? 1 : 2;
        const close = img.indexOf(delim, bodyStart);
        if (close < 0) {
          if (img.length - bodyStart >= MAX_STRING_LEN) return error('Regexp too long', at);
          push('$end', '', text.length);
          return out;
        }
        const body = img.slice(bodyStart, close);
        if (body.length >= MAX_STRING_LEN) return error('Regexp too long', at);
        push(img.endsWith('i') && img.length === close + 2 ? 'T_REGEX_I' : 'T_REGEX', body, at);
        break;
      }
      case OP:
        push(OPERATORS[img], img, at);
        break;
      case DASHWORD: {
        const kw = DASH_KEYWORDS[img];
        if (kw) push(kw, img, at);
        else push(img.length === 2 ? 'T_OP_UNARY' : 'T_OP_BINARY', img.slice(1), at);
        break;
      }
      case DIGIT:
        push('T_DIGIT', img, at);
        break;
      case WORD:
        push(WORD_KEYWORDS[img] ?? 'T_ID', img, at);
        break;
      case PUNCT:
        push(`'${img}'` as TokName, img, at);
        break;
      case BAD:
        return error(`Parse error near '${img}'`, at);
      case ESC_DIGITS: {
        const digits = img.slice(1);
        const octal = /^[0-7]{1,3}/.exec(digits)?.[0] ?? '';
        if (digits.length > octal.length) return error('Bad escape sequence', at);
        const code = parseInt(octal, 8);
        if (code > 0xff) return error('Escape sequence out of bound', at);
        if (appendChecked(String.fromCharCode(code), at)) return out;
        break;
      }
      case ESC:
        if (appendChecked(SIMPLE_ESCAPES[img[1]] ?? img[1], at)) return out;
        break;
      case LONE_BACKSLASH:
      case QUOTE_JAM:
        out.push({ name: 'JAM', value: '', offset: at });
        return out;
      case TEXT:
      case LITERAL:
      case LITERAL_PCT:
      case QUOTE_LIT:
        if (appendChecked(img, at)) return out;
        break;
      case NEWLINE:
        return error(UNTERMINATED, at);
      case DQ_CLOSE:
      case SQ_CLOSE:
        flush();
        modes.pop();
        push('T_STR_END', img, at);
        break;
      case VARARG_CLOSE:
        flush();
        modes.pop();
        push('T_VAR_END', img, at);
        break;
      case VAR_ID:
        push('T_ID', img, at);
        break;
      case VAR_CLOSE:
        modes.pop();
        push('T_VAR_END', img, at);
        break;
      case VAR_COLON:
        modes[modes.length - 1] = M.VARARG;
        push("':'", img, at);
        break;
      case VAR_BAD:
        return error(`Invalid character in variable name '${img}'`, at);
      default:
        throw new Error(`expression scanner: unhandled piece ${t.tokenType.name} in mode ${mode}`);
    }
  }
  // End of input: flex's <<EOF>> rules.
  const mode = modes[modes.length - 1];
  if (mode === M.TOP) {
    push('T_STRING', buf, buf === '' ? text.length : bufStart);
    push('$end', '', text.length);
  } else if (mode === M.EXPR) {
    push('$end', '', text.length);
  } else {
    return error(UNTERMINATED, text.length);
  }
  return out;

  /** STR_APPEND with the buffer limit; true when it failed (error token pushed). */
  function appendChecked(s: string, offset: number): boolean {
    if (buf.length + s.length >= MAX_STRING_LEN) {
      error('String too long', offset);
      return true;
    }
    append(s, offset);
    return false;
  }
}
