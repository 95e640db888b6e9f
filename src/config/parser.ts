/**
 * The grammar of one httpd config file (chevrotain), producing a RawFile.
 *
 *   config        := ( element | strayEndTag )*
 *   element       := directiveLine | section | invalidLine
 *   section       := openLine element* endLine?
 *   directiveLine := Name arg* Eol
 *   openLine      := OpenTag arg* Eol
 *   endLine       := CloseTag arg* Eol
 *   strayEndTag   := CloseTag arg* Eol          (an end tag with no open section: an error)
 *   invalidLine   := Invalid Eol                (a line too long)
 *   arg           := Word | Quoted
 *
 * The grammar accepts every token stream the lexer can produce, so parsing never fails; the
 * checks httpd makes while building its tree (end tag without a section, end tag not ending in
 * `>`, mismatched end tag, sections left open at the end of the file) become values: RawError
 * nodes, `RawSection.endError`, and `RawParse.unclosed`. The reader repeats these checks on the
 * expanded text, in reading order, because that is what httpd reports.
 */
import type { IToken } from 'chevrotain';
import { EmbeddedActionsParser } from './chevrotain.js';
import type { Loc, RawDirective, RawError, RawFile, RawNode, RawSection } from './ast.js';
import { allTokens, CloseTag, Eol, Invalid, Name, OpenTag, Quoted, Word, tokenizeLines } from './lexer.js';
import { logicalLines, type LogicalLine } from './lines.js';
import { getWordConf } from './words.js';

interface LineInfo {
  line: LogicalLine;
  first: IToken;
}

class ConfigParser extends EmbeddedActionsParser {
  file = '';
  lineOf = new Map<IToken, LogicalLine>();

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  public config = this.RULE('config', (): RawNode[] => {
    const nodes: RawNode[] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => nodes.push(this.SUBRULE(this.element)) },
        { ALT: () => nodes.push(this.SUBRULE(this.strayEndTag)) },
      ]);
    });
    return nodes;
  });

  private element = this.RULE('element', (): RawNode => {
    return this.OR([
      { ALT: () => this.SUBRULE(this.directiveLine) },
      { ALT: () => this.SUBRULE(this.section) },
      { ALT: () => this.SUBRULE(this.invalidLine) },
    ]);
  });

  private section = this.RULE('section', (): RawSection => {
    const open = this.SUBRULE(this.openLine);
    const children: RawNode[] = [];
    this.MANY(() => {
      children.push(this.SUBRULE(this.element));
    });
    const end = this.OPTION(() => this.SUBRULE(this.endLine));
    return this.ACTION(() => this.makeSection(open, children, end));
  });

  private directiveLine = this.RULE('directiveLine', (): RawDirective => {
    const first = this.CONSUME(Name);
    this.MANY(() => this.SUBRULE(this.arg));
    this.CONSUME(Eol);
    return this.ACTION(() => this.makeDirective(first));
  });

  private openLine = this.RULE('openLine', (): LineInfo => {
    const first = this.CONSUME(OpenTag);
    this.MANY(() => this.SUBRULE(this.arg));
    this.CONSUME(Eol);
    return this.ACTION(() => this.info(first));
  });

  private endLine = this.RULE('endLine', (): LineInfo => {
    const first = this.CONSUME(CloseTag);
    this.MANY(() => this.SUBRULE(this.arg));
    this.CONSUME(Eol);
    return this.ACTION(() => this.info(first));
  });

  private strayEndTag = this.RULE('strayEndTag', (): RawError => {
    const first = this.CONSUME2(CloseTag);
    this.MANY(() => this.SUBRULE(this.arg));
    this.CONSUME(Eol);
    return this.ACTION(() => {
      const li = this.info(first);
      const word = getWordConf(li.line.text).word;
      return this.makeError(li, `${word} without matching <${word.slice(2)} section`);
    });
  });

  private invalidLine = this.RULE('invalidLine', (): RawError => {
    const first = this.CONSUME(Invalid);
    this.CONSUME(Eol);
    return this.ACTION(() => {
      const li = this.info(first);
      return this.makeError(li, `Error reading ${this.file} at line ${li.line.lastLine}: Line too long`);
    });
  });

  private arg = this.RULE('arg', () => {
    this.OR([{ ALT: () => this.CONSUME(Word) }, { ALT: () => this.CONSUME(Quoted) }]);
  });

  private info(first: IToken): LineInfo {
    const line = this.lineOf.get(first) ?? { text: first.image, firstLine: 0, lastLine: 0, column: 1 };
    return { line, first };
  }

  private loc(line: LogicalLine): Loc {
    return { file: this.file, line: line.lastLine, column: line.column };
  }

  private makeDirective(first: IToken): RawDirective {
    const { line } = this.info(first);
    const w = getWordConf(line.text);
    return {
      kind: 'directive',
      name: w.word,
      rawArgs: line.text.slice(w.next),
      text: line.text,
      loc: this.loc(line),
      firstLine: line.firstLine,
    };
  }

  private makeError(li: LineInfo, message: string): RawError {
    return { kind: 'error', message, text: li.line.text, loc: this.loc(li.line), firstLine: li.line.firstLine };
  }

  private makeSection(open: LineInfo, children: RawNode[], end: LineInfo | undefined): RawSection {
    const text = open.line.text;
    const w = getWordConf(text);
    const name = sectionName(w.word);
    const section: RawSection = {
      kind: 'section',
      name,
      rawArgs: text.slice(w.next) === '' ? '>' : text.slice(w.next),
      text,
      loc: this.loc(open.line),
      firstLine: open.line.firstLine,
      endLoc: end ? this.loc(end.line) : this.loc(open.line),
      children,
    };
    if (end) {
      section.endText = end.line.text;
      const err = endTagError(end.line.text, name);
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
  const word = getWordConf(endLine).word;
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
  return parseLines(logicalLines(text), file);
}

/** Parse logical lines (blank and comment lines already removed) as one file. Never throws. */
export function parseLines(lines: LogicalLine[], file: string): RawParse {
  try {
    const p = parser();
    const { tokens, lineOf } = tokenizeLines(lines);
    p.file = file;
    p.lineOf = lineOf;
    p.input = tokens;
    const nodes = p.config();
    p.lineOf = new Map();
    if (p.errors.length === 0) return { raw: { file, nodes }, unclosed: findUnclosed(nodes) };
  } catch {
    // fall through to the line-by-line builder below
  }
  const nodes = buildByHand(lines, file);
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
function buildByHand(lines: LogicalLine[], file: string): RawNode[] {
  const top: RawNode[] = [];
  const stack: RawSection[] = [];
  const loc = (l: LogicalLine): Loc => ({ file, line: l.lastLine, column: l.column });
  for (const line of lines) {
    const into = stack.length ? stack[stack.length - 1].children : top;
    const w = getWordConf(line.text);
    if (line.tooLong) {
      into.push({ kind: 'error', message: `Error reading ${file} at line ${line.lastLine}: Line too long`, text: line.text, loc: loc(line), firstLine: line.firstLine });
    } else if (w.word.startsWith('</') || line.text.startsWith('</')) {
      const open = stack.pop();
      if (!open) {
        into.push({ kind: 'error', message: `${w.word} without matching <${w.word.slice(2)} section`, text: line.text, loc: loc(line), firstLine: line.firstLine });
      } else {
        open.endText = line.text;
        open.endLoc = loc(line);
        const err = endTagError(line.text, open.name);
        if (err) open.endError = err;
      }
    } else if (line.text.startsWith('<')) {
      const s: RawSection = {
        kind: 'section',
        name: sectionName(w.word),
        rawArgs: line.text.slice(w.next) === '' ? '>' : line.text.slice(w.next),
        text: line.text,
        loc: loc(line),
        firstLine: line.firstLine,
        endLoc: loc(line),
        children: [],
      };
      into.push(s);
      stack.push(s);
    } else {
      into.push({ kind: 'directive', name: w.word, rawArgs: line.text.slice(w.next), text: line.text, loc: loc(line), firstLine: line.firstLine });
    }
  }
  return top;
}
