/**
 * The grammar of one httpd config file (chevrotain), producing a RawFile. Its tokens are
 * whole logical lines (lexer.ts), named by what their first word is (a run of directive lines
 * is one Name token):
 *
 *   config  := ( Name | section | Invalid | CloseTag )*
 *   section := OpenTag ( Name | section | Invalid )* CloseTag?
 *
 * Name lines are directives; an Invalid line is one too long to read; a CloseTag line outside
 * any section is an end tag with no open section (an error).
 *
 * The grammar accepts every token stream the lexer can produce, so parsing never fails; the
 * checks httpd makes while building its tree (end tag without a section, end tag not ending in
 * `>`, mismatched end tag, sections left open at the end of the file) become values: RawError
 * nodes, `RawSection.endError`, and `RawParse.unclosed`. The reader repeats these checks on the
 * expanded text, in reading order, because that is what httpd reports.
 *
 * One parser instance is made on first use and reused for every file (chevrotain's grammar
 * analysis is the expensive part), and the alternatives of the two OR choices are built once.
 * Its embedded actions only record where each section ends (lexer.ts keeps the lines in flat
 * arrays); the RawNodes are made from that by ParsedFile, when they are asked for.
 */
import type { IOrAlt } from 'chevrotain';
import { EmbeddedActionsParser } from './chevrotain.js';
import type { Loc, RawNode, RawSection, RawFile } from './ast.js';
import { allTokens, CloseTag, CLOSE_TAG, Invalid, INVALID, LineTable, Name, OpenTag, OPEN_TAG, tokenizeLines, tokenizeText } from './lexer.js';
import { isSpaceCode, type LogicalLine } from './lines.js';
import { firstWord, getWordConf } from './words.js';

class ConfigParser extends EmbeddedActionsParser {
  /** The index (in the file's lines) of the next line to be consumed. */
  private line = 0;
  /** Per line that starts a token: the index of the line after the token's lines. */
  private tokenEnd: Int32Array = new Int32Array(0);
  /** Per line: for an opening tag, the index of the first line after its section. */
  private after: Int32Array = new Int32Array(0);
  /** Per line: 1 for an opening tag whose section has its end tag (the line before `after`). */
  private closed: Uint8Array = new Uint8Array(0);

  /**
   * chevrotain's checks of the grammar itself (ambiguities, left recursion…) cost a few
   * milliseconds at every start; the parser used for reading skips them, and a test runs them
   * (grammarErrors).
   */
  constructor(validate: boolean) {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  /** The action of a token of lines that are nodes by themselves: the next line is the one after them. */
  private readonly advance = (): void => {
    this.line = this.tokenEnd[this.line];
  };

  /** Directive lines. */
  private readonly directiveAlt: IOrAlt<void> = {
    ALT: () => {
      this.CONSUME(Name);
      this.ACTION(this.advance);
    },
  };

  /** A nested section. */
  private readonly sectionAlt: IOrAlt<void> = {
    ALT: () => {
      this.SUBRULE(this.section);
    },
  };

  /** A line too long. */
  private readonly invalidAlt: IOrAlt<void> = {
    ALT: () => {
      this.CONSUME(Invalid);
      this.ACTION(this.advance);
    },
  };

  /** An end tag with no open section: "</Name> without matching <Name> section". */
  private readonly strayEndAlt: IOrAlt<void> = {
    ALT: () => {
      this.CONSUME(CloseTag);
      this.ACTION(this.advance);
    },
  };

  private readonly topLevel = [this.directiveAlt, this.sectionAlt, this.invalidAlt, this.strayEndAlt];
  private readonly inSection = [this.directiveAlt, this.sectionAlt, this.invalidAlt];

  /** The action of an opening tag: its index. */
  private readonly opened = (): number => this.line++;
  private readonly sectionBody = (): void => this.OR(this.inSection);
  private readonly endTag = (): boolean => {
    this.CONSUME(CloseTag);
    return true;
  };

  public config = this.RULE('config', (): void => {
    this.MANY(() => this.OR(this.topLevel));
  });

  private section = this.RULE('section', (): void => {
    this.CONSUME(OpenTag);
    const open = this.ACTION(this.opened);
    this.MANY(this.sectionBody);
    const closed = this.OPTION(this.endTag);
    this.ACTION(() => {
      if (closed === true) {
        this.closed[open] = 1;
        this.line++;
      }
      this.after[open] = this.line;
    });
  });

  /** Find the sections of a file's lines: fills `after` and `closed`. False if the grammar failed. */
  structure(table: LineTable, after: Int32Array, closed: Uint8Array): boolean {
    this.input = table.tokens;
    this.tokenEnd = table.tokenEnd;
    this.line = 0;
    this.after = after;
    this.closed = closed;
    this.config();
    const failed = this.errors.length > 0;
    // Let go of the file's tokens and arrays (the parser is kept for the next file).
    this.input = [];
    this.tokenEnd = new Int32Array(0);
    this.after = new Int32Array(0);
    this.closed = new Uint8Array(0);
    return !failed;
  }
}

/**
 * One parsed file: its lines and the sections the grammar found in them. Its RawNodes are made
 * on demand, one top-level node (with everything inside it) at a time, so that a reader that
 * takes them in order never holds the whole file's nodes at once:
 *
 *   for (let i = 0; i < parsed.end; i = parsed.next(i)) use(parsed.node(i));
 */
export class ParsedFile {
  constructor(
    readonly file: string,
    private readonly table: LineTable,
    private readonly after: Int32Array,
    private readonly closed: Uint8Array,
  ) {}

  /** The index just past the last line. */
  get end(): number {
    return this.table.count;
  }

  /** The index of the first line after the node that starts at line `i`. */
  next(i: number): number {
    return this.table.kinds[i] === OPEN_TAG ? this.after[i] : i + 1;
  }

  /** Every top-level node. */
  all(): RawNode[] {
    const nodes: RawNode[] = [];
    for (let i = 0; i < this.end; i = this.next(i)) nodes.push(this.node(i));
    return nodes;
  }

  /** What line `i` is: NAME, OPEN_TAG, CLOSE_TAG or INVALID (lexer.ts). */
  kind(i: number): number {
    return this.table.kinds[i];
  }

  /** The trimmed text of line `i`. */
  text(i: number): string {
    return this.table.text(i);
  }

  /** For an opening tag at line `i`: the line of its end tag, or -1 when the file ended first. */
  endTag(i: number): number {
    return this.closed[i] === 1 ? this.after[i] - 1 : -1;
  }

  /** Where line `i` is: its last physical line (httpd reports that one) and its first column. */
  loc(i: number): Loc {
    return { file: this.file, line: this.table.lastLine[i], column: this.table.column[i] };
  }

  /** The node that starts at line `i` (a section with all its lines). */
  node(i: number): RawNode {
    const t = this.table;
    const text = t.text(i);
    const loc = this.loc(i);
    switch (t.kinds[i]) {
      case OPEN_TAG:
        return this.section(i, text, loc);
      case INVALID:
        return { kind: 'error', message: `Error reading ${this.file} at line ${loc.line}: Line too long`, text, loc, firstLine: t.firstLine[i] };
      case CLOSE_TAG: {
        const word = firstWord(text);
        return { kind: 'error', message: `${word} without matching <${word.slice(2)} section`, text, loc, firstLine: t.firstLine[i] };
      }
      default: {
        const w = getWordConf(text);
        return { kind: 'directive', name: w.word, rawArgs: text.slice(w.next), text, loc, firstLine: t.firstLine[i] };
      }
    }
  }

  private section(i: number, text: string, loc: Loc): RawSection {
    const w = getWordConf(text);
    const name = sectionName(w.word);
    const rawArgs = text.slice(w.next);
    const after = this.after[i];
    const closed = this.closed[i] === 1;
    const contentEnd = closed ? after - 1 : after;
    const children: RawNode[] = [];
    for (let j = i + 1; j < contentEnd; j = this.next(j)) children.push(this.node(j));
    const section: RawSection = {
      kind: 'section',
      name,
      rawArgs: rawArgs === '' ? '>' : rawArgs,
      text,
      loc,
      firstLine: this.table.firstLine[i],
      endLoc: closed ? this.loc(contentEnd) : loc,
      children,
    };
    if (closed) {
      const endText = this.table.text(contentEnd);
      section.endText = endText;
      const err = endTagError(endText, name);
      if (err) section.endError = err;
    }
    return section;
  }
}

/** `<Location>` or `<Location` → `Location` (httpd strips one trailing `>` from the name). */
export function sectionName(firstWord: string): string {
  const stripped = firstWord.endsWith('>') ? firstWord.slice(0, -1) : firstWord;
  return stripped.slice(1);
}

/**
 * httpd's check of an end tag line against the innermost open section named `openName`
 * (ap_build_config_sub): the error message, or undefined when the tag closes it.
 */
export function endTagError(endLine: string, openName: string): string | undefined {
  if (isEndTagOf(endLine, openName)) return undefined;
  const word = firstWord(endLine);
  if (!word.endsWith('>')) return `${word}> directive missing closing '>'`;
  const name = word.slice(2, -1);
  if (name.toLowerCase() !== openName.toLowerCase()) return `Expected </${openName}> but saw </${name}>`;
  return undefined;
}

const LT = 60;
const SLASH = 47;
const GT = 62;
const DOLLAR = 36;
const BACKSLASH = 92;

/**
 * Whether `line` is just `</name>`, the name's ASCII letters in any case: the usual end tag,
 * which closes a section of that name whatever httpd's checks (the line is one word with no
 * escape and nothing to expand, ending in `>`, and names the section). False means "look
 * closer", not "does not close it".
 */
export function isEndTagOf(line: string, name: string): boolean {
  const n = name.length;
  if (line.length !== n + 3 || line.charCodeAt(0) !== LT || line.charCodeAt(1) !== SLASH || line.charCodeAt(n + 2) !== GT) return false;
  for (let i = 0; i < n; i++) {
    const a = line.charCodeAt(i + 2);
    const b = name.charCodeAt(i);
    if (a === b) {
      if (isSpaceCode(a) || a === BACKSLASH || a === DOLLAR) return false;
      continue;
    }
    const lower = a | 32;
    if (lower !== (b | 32) || lower < 97 || lower > 122) return false;
  }
  return true;
}

let shared: ConfigParser | undefined;

function parser(): ConfigParser {
  shared ??= new ConfigParser(false);
  return shared;
}

/**
 * What chevrotain's grammar checks find wrong with the grammar (nothing, as tests check):
 * a parser that runs them fails to build otherwise.
 */
export function grammarErrors(): string[] {
  try {
    new ConfigParser(true);
    return [];
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

/** The chevrotain grammar, for generating syntax diagrams. */
export function grammarProductions(): ReturnType<ConfigParser['getSerializedGastProductions']> {
  return parser().getSerializedGastProductions();
}

/** A parsed file plus the sections left open at its end (outermost first). */
export interface RawParse {
  raw: RawFile;
  unclosed: RawSection[];
}

/** Parse the text of one config file, its nodes made on demand. Never throws. */
export function parseText(text: string, file: string): ParsedFile {
  return structure(tokenizeText(text), file);
}

/** Parse logical lines (blank and comment lines already removed) as one file, its nodes made on demand. Never throws. */
export function parseLogicalLines(lines: LogicalLine[], file: string): ParsedFile {
  return structure(tokenizeLines(lines), file);
}

/** Parse the text of one config file. Never throws. */
export function parseConfigText(text: string, file: string): RawParse {
  const nodes = parseText(text, file).all();
  return { raw: { file, nodes }, unclosed: findUnclosed(nodes) };
}

function structure(table: LineTable, file: string): ParsedFile {
  const after = new Int32Array(table.count);
  const closed = new Uint8Array(table.count);
  let done = false;
  try {
    done = parser().structure(table, after, closed);
  } catch {
    // fall through to the line-by-line matching below
  }
  if (!done) structureByHand(table, after, closed);
  return new ParsedFile(file, table, after, closed);
}

/** Parse a file's text and return only the RawFile. */
export function parseConfig(text: string, file: string): RawFile {
  return parseConfigText(text, file).raw;
}

function findUnclosed(nodes: RawNode[]): RawSection[] {
  const out: RawSection[] = [];
  let list = nodes;
  for (;;) {
    const last = list[list.length - 1];
    if (!last || last.kind !== 'section' || last.endText !== undefined) return out;
    out.push(last);
    list = last.children;
  }
}

/**
 * The same structure found with a plain stack. Only used if the chevrotain parser reported an
 * error, which the grammar rules out; it keeps the promise that parsing never fails.
 */
function structureByHand(table: LineTable, after: Int32Array, closed: Uint8Array): void {
  after.fill(0);
  closed.fill(0);
  const open: number[] = [];
  for (let i = 0; i < table.count; i++) {
    const kind = table.kinds[i];
    if (kind === OPEN_TAG) {
      open.push(i);
    } else if (kind === CLOSE_TAG && open.length > 0) {
      const o = open.pop() as number;
      closed[o] = 1;
      after[o] = i + 1;
    }
  }
  for (const o of open) after[o] = table.count;
}
