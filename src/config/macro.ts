/**
 * mod_macro (<Macro>, Use, UndefMacro), carried out while reading as httpd does.
 *
 * A `<Macro name $arg …>` body is kept as written; `Use name value …` substitutes the
 * argument names in it and reads the result in place, as a file named
 * `macro 'name' (defined on line N of "FILE") used on line M of "FILE"`, so errors inside
 * point there (line numbers count from the first body line). Macro names are
 * case-insensitive.
 *
 * Differences from httpd: the body ends at the end tag that closes `<Macro>` in the parsed
 * file structure, so sections inside a body must be balanced (mod_macro reads up to the next
 * `</Macro>` line whatever comes between, only warns about unbalanced bodies and lets a body's
 * sections continue into the including file).
 */
import type { ConfigNode, Loc, RawNode, RawSection } from './ast.js';
import type { ConfigError } from '../util/diagnostics.js';
import type { LogicalLine } from './lines.js';
import { parseLogicalLines } from './parser.js';
import type { ReaderContext, ReaderFrame } from './reader.js';
import { splitWords } from './words.js';

interface Macro {
  name: string;
  /** `defined on line N of "FILE"` */
  where: string;
  args: string[];
  /** Body lines, with their line number counted from the first body line. */
  lines: { text: string; line: number }[];
}

const PREFIXES = '$%@';

export class MacroTable {
  private readonly macros = new Map<string, Macro>();
  private readonly inUse = new Set<string>();
  private defined = false;

  constructor(private readonly reader: ReaderContext) {}

  execute(name: string, node: RawNode, rawArgs: string, into: ConfigNode[], frame: ReaderFrame): ConfigError | undefined {
    switch (name) {
      case '<Macro':
        return node.kind === 'section' ? this.define(node, rawArgs, frame) : undefined;
      case 'Use':
        return this.use(node, rawArgs, into, frame);
      default:
        return this.undefine(node, rawArgs, frame);
    }
  }

  private define(node: RawSection, rawArgs: string, frame: ReaderFrame): ConfigError | undefined {
    const fail = (m: string) => this.reader.error(frame, m, node.loc);
    const gt = rawArgs.lastIndexOf('>');
    if (gt === -1) return fail("<Macro> directive missing closing '>'");
    const words = splitWords(rawArgs.slice(0, gt));
    if (words.length === 0) return fail('<Macro macro definition: name not found');
    if (words[0] === '') return fail('<Macro macro definition: empty name');
    const macroName = words[0].toLowerCase();
    const where = `defined on line ${node.loc.line} of "${node.loc.file}"`;
    const args = words.slice(1);
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '') return fail(`macro '${macroName}' (${where}): empty argument #${i + 1} name`);
      for (let j = 0; j < i; j++) {
        if (args[j] === args[i]) {
          return fail(`argument name conflict in macro '${macroName}' (${where}): argument '${args[i]}': #${j + 1} and #${i + 1}, change argument names!`);
        }
      }
      if (!PREFIXES.includes(args[i][0])) {
        this.warn(
          'AH02796',
          `macro '${macroName}' (${where}) argument name '${args[i]}' (#${i + 1}) without expected prefix, better prefix argument names with one of '${PREFIXES}'.`,
          node.loc,
        );
      }
    }
    const previous = this.macros.get(macroName);
    if (previous) {
      this.warn('AH02802', `macro '${macroName}' multiply defined: ${previous.where}, redefined on line ${node.loc.line} of "${node.loc.file}"`, node.loc);
    }
    const lines: { text: string; line: number }[] = [];
    flattenText(node.children, lines, node.loc.line);
    if (lines.length === 0) this.warn('AH02799', `macro '${macroName}' (${where}): empty contents!`, node.loc);
    this.macros.set(macroName, { name: macroName, where, args, lines });
    this.defined = true;
    if (node.endText === undefined) return fail(`Expected </Macro> before end of configuration`);
    return undefined;
  }

  private use(node: RawNode, rawArgs: string, into: ConfigNode[], frame: ReaderFrame): ConfigError | undefined {
    const fail = (m: string) => this.reader.error(frame, m, node.loc);
    const words = splitWords(rawArgs);
    if (!this.defined) return fail('no macro defined before Use');
    if (words.length === 0 || words[0] === '') return fail('no macro name specified with Use');
    const macroName = words[0].toLowerCase();
    const macro = this.macros.get(macroName);
    if (!macro) return fail(`macro '${macroName}' undefined`);
    const values = words.slice(1);
    if (values.length !== macro.args.length) {
      return fail(`macro '${macroName}' (${macro.where}) used with ${values.length} arguments instead of ${macro.args.length}`);
    }
    if (this.inUse.has(macroName)) return fail(`recursive use of macro '${macroName}' is invalid`);
    values.forEach((v, i) => {
      if (v === '') this.warn('AH02798', `macro '${macroName}' (${macro.where}): empty argument #${i + 1}`, node.loc);
    });
    const file = `macro '${macroName}' (${macro.where}) used on line ${node.loc.line} of "${node.loc.file}"`;
    const lines: LogicalLine[] = macro.lines.map((l) => ({ text: substitute(l.text, macro.args, values), firstLine: l.line, lastLine: l.line, column: 1 }));
    const parsed = parseLogicalLines(lines, file);
    this.inUse.add(macroName);
    const err = this.reader.buildFile(parsed, into, { ...frame, file, unclosed: [] });
    this.inUse.delete(macroName);
    return err;
  }

  private undefine(node: RawNode, rawArgs: string, frame: ReaderFrame): ConfigError | undefined {
    const fail = (m: string) => this.reader.error(frame, m, node.loc);
    const words = splitWords(rawArgs);
    if (!this.defined) return fail('no macro defined before UndefMacro');
    if (words.length === 0 || words[0] === '') return fail('no macro name specified with UndefMacro');
    const macroName = words[0].toLowerCase();
    if (!this.macros.delete(macroName)) return fail(`cannot remove undefined macro '${macroName}'`);
    return undefined;
  }

  private warn(code: string, message: string, loc: Loc): void {
    this.reader.diagnostics.push({ severity: 'warning', rule: 'httpd', code, message, loc });
  }
}

/** Replace argument names by values, scanning left to right; the first name that matches wins. */
export function substitute(text: string, names: string[], values: string[]): string {
  if (names.length === 0) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const k = names.findIndex((n) => n !== '' && text.startsWith(n, i));
    if (k === -1) {
      out += text[i++];
    } else {
      out += values[k];
      i += names[k].length;
    }
  }
  return out;
}

function flattenText(nodes: RawNode[], out: { text: string; line: number }[], base: number): void {
  for (const n of nodes) {
    out.push({ text: n.text, line: n.loc.line - base });
    if (n.kind === 'section') {
      flattenText(n.children, out, base);
      if (n.endText !== undefined) out.push({ text: n.endText, line: n.endLoc.line - base });
    }
  }
}
