/**
 * The grammar of one httpd config file (chevrotain), producing a RawFile. Its tokens are
 * whole logical lines (lexer.ts), named by what their first word is:
 *
 *   config  := ( Name | section | Invalid | CloseTag )*
 *   section := OpenTag ( Name | section | Invalid )* CloseTag?
 *
 * A Name line is a directive; an Invalid line is one too long to read; a CloseTag line outside
 * any section is an end tag with no open section (an error).
 *
 * The grammar accepts every token stream the lexer can produce, so parsing never fails; the
 * checks httpd makes while building its tree (end tag without a section, end tag not ending in
 * `>`, mismatched end tag, sections left open at the end of the file) become values: RawError
 * nodes, `RawSection.endError`, and `RawParse.unclosed`. The reader repeats these checks on the
 * expanded text, in reading order, because that is what httpd reports.
 *
 * One parser instance is made on first use and reused for every file (chevrotain's grammar
 * analysis is the expensive part); its embedded actions build the RawNodes directly, appending
 * each line's node to the list of the innermost open section (`into`), and the alternatives
 * of the two OR choices are built once.
 */
import type { IOrAlt } from 'chevrotain';
import { EmbeddedActionsParser } from './chevrotain.js';
import type { Loc, RawDirective, RawError, RawNode, RawSection, RawFile } from './ast.js';
import { allTokens, CloseTag, Invalid, Name, OpenTag, tokenizeLines, tokenizeText, type LineToken } from './lexer.js';
import type { LogicalLine } from './lines.js';
import { firstWord, getWordConf } from './words.js';

class ConfigParser extends EmbeddedActionsParser {
  file = '';
  /** Where the node of the next line goes: the file's list or the open section's children. */
  private into: RawNode[] = [];

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  /** A directive line. */
  private readonly directiveAlt: IOrAlt<void> = {
    ALT: () => {
      const line = this.CONSUME(Name) as LineToken;
      this.ACTION(() => this.into.push(this.makeDirective(line)));
    },
  };

  /** A nested section. */
  private readonly sectionAlt: IOrAlt<void> = {
    ALT: () => {
      const section = this.SUBRULE(this.section);
      this.into.push(section);
    },
  };

  /** A line too long. */
  private readonly invalidAlt: IOrAlt<void> = {
    ALT: () => {
      const line = this.CONSUME(Invalid) as LineToken;
      this.ACTION(() => this.into.push(this.makeError(line, `Error reading ${this.file} at line ${line.endLine}: Line too long`)));
    },
  };

  /** An end tag with no open section: "</Name> without matching <Name> section". */
  private readonly strayEndAlt: IOrAlt<void> = {
    ALT: () => {
      const line = this.CONSUME(CloseTag) as LineToken;
      this.ACTION(() => {
        const word = firstWord(line.image);
        this.into.push(this.makeError(line, `${word} without matching <${word.slice(2)} section`));
      });
    },
  };

  private readonly topLevel = [this.directiveAlt, this.sectionAlt, this.invalidAlt, this.strayEndAlt];
  private readonly inSection = [this.directiveAlt, this.sectionAlt, this.invalidAlt];

  public config = this.RULE('config', (): RawNode[] => {
    const nodes: RawNode[] = [];
    this.into = nodes;
    this.MANY(() => this.OR(this.topLevel));
    return nodes;
  });

  private section = this.RULE('section', (): RawSection => {
    const open = this.CONSUME(OpenTag) as LineToken;
    const outer = this.into;
    const children: RawNode[] = [];
    this.into = children;
    this.MANY(() => this.OR(this.inSection));
    this.into = outer;
    const end = this.OPTION(() => this.CONSUME(CloseTag)) as LineToken | undefined;
    return this.ACTION(() => this.makeSection(open, children, end));
  });

  /** Let go of the last file's tokens and nodes (the parser is kept for the next file). */
  release(): void {
    this.input = [];
    this.into = [];
  }

  /** Where a line is: its last physical line (httpd reports that one) and its first column. */
  private loc(line: LineToken): Loc {
    return { file: this.file, line: line.endLine, column: line.startColumn };
  }

  private makeDirective(line: LineToken): RawDirective {
    const text = line.image;
    const w = getWordConf(text);
    return {
      kind: 'directive',
      name: w.word,
      rawArgs: text.slice(w.next),
      text,
      loc: this.loc(line),
      firstLine: line.startLine,
    };
  }

  private makeError(line: LineToken, message: string): RawError {
    return { kind: 'error', message, text: line.image, loc: this.loc(line), firstLine: line.startLine };
  }

  private makeSection(open: LineToken, children: RawNode[], end: LineToken | undefined): RawSection {
    const text = open.image;
    const w = getWordConf(text);
    const name = sectionName(w.word);
    const rawArgs = text.slice(w.next);
    const section: RawSection = {
      kind: 'section',
      name,
      rawArgs: rawArgs === '' ? '>' : rawArgs,
      text,
      loc: this.loc(open),
      firstLine: open.startLine,
      endLoc: this.loc(end ?? open),
      children,
    };
    if (end) {
      section.endText = end.image;
      const err = endTagError(end.image, name);
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
  const word = firstWord(endLine);
  if (!word.endsWith('>')) return `${word}> directive missing closing '>'`;
  const name = word.slice(2, -1);
  if (name.toLowerCase() !== openName.toLowerCase()) return `Expected </${openName}> but saw </${name}>`;
  return undefined;
}

let shared: ConfigParser | undefined;

function parser(): ConfigParser {
  shared ??= new ConfigParser();
  return shared;
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

/** Parse the text of one config file. Never throws. */
export function parseConfigText(text: string, file: string): RawParse {
  return parseTokens(() => tokenizeText(text), file);
}

/** Parse logical lines (blank and comment lines already removed) as one file. Never throws. */
export function parseLines(lines: LogicalLine[], file: string): RawParse {
  return parseTokens(() => tokenizeLines(lines), file);
}

function parseTokens(tokenize: () => LineToken[], file: string): RawParse {
  let tokens: LineToken[] = [];
  try {
    tokens = tokenize();
    const p = parser();
    p.file = file;
    p.input = tokens;
    const nodes = p.config();
    const failed = p.errors.length > 0;
    p.release();
    if (!failed) return { raw: { file, nodes }, unclosed: findUnclosed(nodes) };
  } catch {
    // fall through to the line-by-line builder below
  }
  const nodes = buildByHand(tokens, file);
  return { raw: { file, nodes }, unclosed: findUnclosed(nodes) };
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
 * The same tree built with a plain stack. Only used if the chevrotain parser reported an
 * error, which the grammar rules out; it keeps the promise that parsing never fails.
 */
function buildByHand(tokens: LineToken[], file: string): RawNode[] {
  const top: RawNode[] = [];
  const stack: RawSection[] = [];
  const loc = (l: LineToken): Loc => ({ file, line: l.endLine, column: l.startColumn });
  for (const line of tokens) {
    const text = line.image;
    const into = stack.length ? stack[stack.length - 1].children : top;
    const w = getWordConf(text);
    if (line.tokenType === Invalid) {
      into.push({ kind: 'error', message: `Error reading ${file} at line ${line.endLine}: Line too long`, text, loc: loc(line), firstLine: line.startLine });
    } else if (w.word.startsWith('</') || text.startsWith('</')) {
      const open = stack.pop();
      if (!open) {
        into.push({ kind: 'error', message: `${w.word} without matching <${w.word.slice(2)} section`, text, loc: loc(line), firstLine: line.startLine });
      } else {
        open.endText = text;
        open.endLoc = loc(line);
        const err = endTagError(text, open.name);
        if (err) open.endError = err;
      }
    } else if (text.startsWith('<')) {
      const s: RawSection = {
        kind: 'section',
        name: sectionName(w.word),
        rawArgs: text.slice(w.next) === '' ? '>' : text.slice(w.next),
        text,
        loc: loc(line),
        firstLine: line.startLine,
        endLoc: loc(line),
        children: [],
      };
      into.push(s);
      stack.push(s);
    } else {
      into.push({ kind: 'directive', name: w.word, rawArgs: text.slice(w.next), text, loc: loc(line), firstLine: line.startLine });
    }
  }
  return top;
}
