/**
 * Reading a whole configuration the way httpd builds its directive tree (server/config.c
 * ap_build_config, server/core.c): each logical line is `${VAR}`-expanded when it is read,
 * and the directives httpd executes while reading (EXEC_ON_READ) are carried out here:
 * Include/IncludeOptional, Define/UnDefine, the conditional sections (<IfModule>, <IfDefine>,
 * <IfVersion>, <IfFile>, <IfDirective>, <IfSection>), LoadModule/LoadFile, ServerRoot,
 * DefaultRuntimeDir, and mod_macro's <Macro>/Use/UndefMacro when macro_module is loaded.
 * Everything else goes into the ConfigTree for the directive walk.
 *
 * The first error stops reading, as in httpd; it is returned as a value.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigDirective, ConfigNode, ConfigSection, ConfigTree, Loc, RawNode, RawSection } from './ast.js';
import type { Registry } from '../directives/types.js';
import type { ConfigError, Diagnostic, Result } from '../util/diagnostics.js';
import { fail, ok } from '../util/diagnostics.js';
import { isDirectory, pathExists, strerror } from '../util/fs.js';
import { expandVars } from './expand.js';
import { forEachIncluded, type IncludeError } from './include.js';
import type { LogicalLine } from './lines.js';
import { hasBom, isSkippable, trimSpace } from './lines.js';
import { isEndTagOf, parseLogicalLines, parseText, type ParsedFile } from './parser.js';
import { NAME, OPEN_TAG } from './lexer.js';
import { getWordConf, splitWords, WordTable } from './words.js';
import { evalIfVersion } from './ifversion.js';
import { MacroTable } from './macro.js';
import { dsoError } from './dso.js';

export interface ReadOptions {
  /** The main config file (`-f`), relative to serverRoot unless absolute. */
  file: string;
  /** `-d`; defaults to httpd's compiled-in root, /etc/apache2 on Debian. */
  serverRoot?: string;
  /** `-D` names. */
  defines?: string[];
  /** The process environment seen by `${VAR}` (defaults to process.env). */
  env?: Record<string, string | undefined>;
  /** httpd's config-dump run mode (`-D DUMP_…`, -S, -M on the command line): see ConfigTree.configDump. */
  configDump?: boolean;
  /** `-C` directives, read before the main file. */
  preDirectives?: string[];
  /** `-c` directives, read after the main file. */
  postDirectives?: string[];
  registry: Registry;
  /** The version `<IfVersion>` compares with (default 2.4.71). */
  serverVersion?: string;
}

export const DEFAULT_SERVER_ROOT = '/etc/apache2';
export const DEFAULT_SERVER_VERSION = '2.4.71';
/** The file name httpd gives the -C/-c directives. */
export const CMDLINE_FILE = '-c/-C directives';
/** httpd's AP_MAX_INCLUDE_DEPTH. */
export const MAX_INCLUDE_DEPTH = 128;

/** Modules compiled into Debian's apache2, assumed present when a registry does not list them. */
const DEBIAN_BUILTINS = new Set([
  'core_module',
  'so_module',
  'watchdog_module',
  'http_module',
  'log_config_module',
  'logio_module',
  'version_module',
  'unixd_module',
]);

/** Directives the reader carries out, by lower-cased name, with the module that provides them. */
const READER_DIRECTIVES: Record<string, { module: string; name: string }> = {
  include: { module: 'core_module', name: 'Include' },
  includeoptional: { module: 'core_module', name: 'IncludeOptional' },
  define: { module: 'core_module', name: 'Define' },
  undefine: { module: 'core_module', name: 'UnDefine' },
  serverroot: { module: 'core_module', name: 'ServerRoot' },
  defaultruntimedir: { module: 'core_module', name: 'DefaultRuntimeDir' },
  '<ifmodule': { module: 'core_module', name: '<IfModule' },
  '<ifdefine': { module: 'core_module', name: '<IfDefine' },
  '<iffile': { module: 'core_module', name: '<IfFile' },
  '<ifdirective': { module: 'core_module', name: '<IfDirective' },
  '<ifsection': { module: 'core_module', name: '<IfSection' },
  '<ifversion': { module: 'version_module', name: '<IfVersion' },
  loadmodule: { module: 'so_module', name: 'LoadModule' },
  loadfile: { module: 'so_module', name: 'LoadFile' },
  '<macro': { module: 'macro_module', name: '<Macro' },
  use: { module: 'macro_module', name: 'Use' },
  undefmacro: { module: 'macro_module', name: 'UndefMacro' },
};

const HELP: Record<string, string> = {
  Include: 'Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file',
  IncludeOptional:
    'Name or pattern of the config file(s) to be included; ignored if the file does not exist or the pattern does not match any files',
  Define: 'Define a variable, optionally to a value.  Same as passing -D to the command line.',
  UnDefine: 'Undefine the existence of a variable. Undo a Define.',
  ServerRoot: 'Common directory of server-related files (logs, confs, etc.)',
  DefaultRuntimeDir: 'Common directory for run-time files (shared memory, locks, etc.)',
  LoadModule: 'a module name and the name of a shared object file to load it from',
  LoadFile: 'shared object file or library to load into the server at runtime',
  '<IfVersion': 'a comparison operator, a version (and a delimiter)',
};

/** What the first word of a line names: the name as httpd keeps it, and whether the reader carries it out. */
interface NameInfo {
  /** The word without one trailing `>` (unless it is an end tag); the nodes it names share it. */
  name: string;
  /** For an opening tag: the section name (without `<`). */
  section: string;
  handled: { module: string; name: string } | undefined;
}

/** Where the lines being built come from: one file (or the -C/-c list) with its Include chain. */
interface Frame {
  file: string;
  /** Include directives that led here, outermost first. */
  chain: Loc[];
  phase: 'build' | 'cmdline';
  /**
   * Sections opened in this build context and not closed before the end of the file,
   * innermost first. Null inside a conditional's body, where httpd does not check this.
   */
  unclosed: RawSection[] | null;
}

/** A line to hand to httpd's "soak" of a false conditional: the text and where it is. */
interface SoakLine {
  text: string;
  loc: Loc;
}

class Reader {
  readonly diagnostics: Diagnostic[] = [];
  readonly files: string[] = [];
  readonly includes: { file: string; includedFrom: Loc[] }[] = [];
  serverRoot: string;
  readonly defines: string[];
  readonly variables = new Map<string, string>();
  readonly loaded: string[] = [];
  private readonly loadedSet = new Set<string>();
  /** Section names as written → canonicalName (which depends on the modules loaded so far). */
  private readonly canonicalNames = new Map<string, string>();
  runtimeDir?: string;
  readonly loadFiles: string[] = [];
  private includeDepth = 0;
  private readonly env: Record<string, string | undefined>;
  readonly macros: MacroTable;
  /** Short argument words, shared by the nodes that repeat them. */
  private readonly words = new WordTable();
  private readonly names = new Map<string, NameInfo>();
  private readonly sectionNames = new Map<string, NameInfo>();
  /** The NameInfo found last, if its name is the word it was found for. */
  private lastName: NameInfo | undefined;

  constructor(readonly opts: ReadOptions) {
    this.serverRoot = path.resolve(opts.serverRoot ?? DEFAULT_SERVER_ROOT);
    this.defines = [];
    for (const d of opts.defines ?? []) if (!this.defines.includes(d)) this.defines.push(d);
    this.env = opts.env ?? process.env;
    for (const m of opts.registry.modules) {
      if (m.builtin) this.markLoaded(m.id);
    }
    this.macros = new MacroTable(this);
  }

  private markLoaded(id: string): void {
    if (this.loadedSet.has(id)) return;
    this.loadedSet.add(id);
    this.loaded.push(id);
    this.canonicalNames.clear();
  }

  isLoaded(id: string): boolean {
    if (this.loadedSet.has(id)) return true;
    return this.opts.registry.moduleById(id) === undefined && DEBIAN_BUILTINS.has(id);
  }

  /** ap_server_root_relative. */
  rootRelative(p: string): string {
    return path.resolve(this.serverRoot, p);
  }

  lookupDefine(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const [k, v] of this.variables) if (k.toLowerCase() === lower) return v;
    return undefined;
  }

  /** Expand `${VAR}` in a line read at `loc`, recording AH00111 warnings. */
  expand(text: string, loc: Loc): string {
    if (!text.includes('${')) return text;
    const r = expandVars(text, (n) => this.lookupDefine(n), this.env);
    for (const name of r.undefinedNames) {
      this.diagnostics.push({
        severity: 'warning',
        rule: 'httpd',
        code: 'AH00111',
        message: `Config variable \${${name}} is not defined`,
        loc,
      });
    }
    return r.text;
  }

  error(frame: Frame, message: string, loc: Loc): ConfigError {
    return { phase: frame.phase, message, loc, includedFrom: frame.chain };
  }

  // ---------------------------------------------------------------- files

  /** Read one file (or directory/wildcard) named by an Include at `at` (undefined: the main file). */
  includePattern(
    pattern: string,
    optional: boolean,
    into: ConfigNode[],
    frame: Frame | undefined,
    at: Loc | undefined,
  ): ConfigError | undefined {
    const chain = frame && at ? [...frame.chain, at] : [];
    const phase = frame?.phase ?? 'build';
    const err = forEachIncluded(pattern, optional, (file) => this.readFile(file, into, chain, phase));
    return this.locate(err, frame, at);
  }

  private locate(err: IncludeError | undefined, frame: Frame | undefined, at: Loc | undefined): ConfigError | undefined {
    if (err === undefined) return undefined;
    if (typeof err !== 'string') return err;
    if (!frame || !at) return { phase: 'plain', message: err };
    return this.error(frame, err, at);
  }

  private readFile(file: string, into: ConfigNode[], chain: Loc[], phase: 'build' | 'cmdline'): IncludeError | undefined {
    let text: string;
    try {
      const st = fs.statSync(file);
      if (!st.isFile() && file !== '/dev/null') {
        return `Could not open configuration file ${file}: Bad file descriptor`;
      }
      text = readText(file);
    } catch (e) {
      return `Could not open configuration file ${file}: ${strerror(e)}`;
    }
    this.files.push(file);
    this.includes.push({ file, includedFrom: chain });
    if (hasBom(text)) {
      this.diagnostics.push({
        severity: 'warning',
        rule: 'utf8-bom',
        message: 'The file starts with a UTF-8 byte order mark; httpd reads it as part of the first line',
        loc: { file, line: 1, column: 1 },
      });
    }
    const frame: Frame = { file, chain, phase, unclosed: [] };
    return this.buildFile(parseText(text, file), into, frame);
  }

  /**
   * ap_build_config for one file: its nodes, then the check for sections left open. Each
   * top-level node is made just before it is read, and dropped after.
   */
  buildFile(parsed: ParsedFile, into: ConfigNode[], frame: Frame): ConfigError | undefined {
    for (let i = 0; i < parsed.end; i = parsed.next(i)) {
      const err = this.line(parsed, i, into, frame);
      if (err) return err;
    }
    const open = frame.unclosed ?? [];
    if (open.length > 0) {
      const message = open.map((s) => `${s.loc.file}:${s.loc.line}: <${this.canonicalName(s.name)}> was not closed.`).join('\n');
      return this.error(frame, message, open[open.length - 1].loc);
    }
    return undefined;
  }

  /** The -C or -c directives, read as one file named "-c/-C directives". */
  readCommandLine(directives: string[], into: ConfigNode[]): ConfigError | undefined {
    const lines: LogicalLine[] = [];
    directives.forEach((d, i) => {
      const text = trimSpace(d);
      if (!isSkippable(text)) lines.push({ text, firstLine: i + 1, lastLine: i + 1, column: 1 });
    });
    if (lines.length === 0) return undefined;
    return this.buildFile(parseLogicalLines(lines, CMDLINE_FILE), into, { file: CMDLINE_FILE, chain: [], phase: 'cmdline', unclosed: [] });
  }

  // ---------------------------------------------------------------- lines

  /**
   * The node that starts at line `i` of a parsed file. The usual lines, directives and
   * sections with nothing to expand that the reader does not carry out, are built straight
   * from the file's lines (as `node` and `section` would build them from RawNodes); the others
   * go through their RawNode.
   */
  private line(parsed: ParsedFile, i: number, into: ConfigNode[], frame: Frame): ConfigError | undefined {
    const kind = parsed.kind(i);
    if (kind === NAME || kind === OPEN_TAG) {
      const text = parsed.text(i);
      if (!text.includes('${')) {
        const first = getWordConf(text);
        const info = first.word === '' ? undefined : this.nameInfo(first.word);
        if (info !== undefined && (info.handled === undefined || !this.isLoaded(info.handled.module))) {
          const rawArgs = this.words.share(text.slice(first.next));
          if (kind === OPEN_TAG) return this.lineSection(parsed, i, info.section, rawArgs === '' ? '>' : rawArgs, into, frame);
          return this.pushDirective(info.name, rawArgs, parsed.loc(i), into, frame);
        }
      }
    }
    return this.node(parsed.node(i), into, frame);
  }

  /** `section` for the opening tag at line `i` of a parsed file. */
  private lineSection(parsed: ParsedFile, i: number, name: string, rawArgs: string, into: ConfigNode[], frame: Frame): ConfigError | undefined {
    const loc = parsed.loc(i);
    const end = parsed.endTag(i);
    const endLoc = end === -1 ? loc : parsed.loc(end);
    const section = this.pushSection(name, rawArgs, loc, endLoc, into, frame);
    const children = section.children;
    const contentEnd = end === -1 ? parsed.next(i) : end;
    let err: ConfigError | undefined;
    for (let j = i + 1; j < contentEnd && err === undefined; j = parsed.next(j)) err = this.line(parsed, j, children, frame);
    // Kept at its exact length (an array grown by push keeps room for more).
    section.children = children.slice();
    if (err) return err;
    if (end === -1) {
      frame.unclosed?.push(parsed.node(i) as RawSection);
      return undefined;
    }
    return this.checkEndTag(parsed.text(end), endLoc, name, frame);
  }

  private nodes(nodes: RawNode[], into: ConfigNode[], frame: Frame): ConfigError | undefined {
    for (let i = 0; i < nodes.length; i++) {
      const err = this.node(nodes[i], into, frame);
      if (err) return err;
    }
    return undefined;
  }

  private node(node: RawNode, into: ConfigNode[], frame: Frame): ConfigError | undefined {
    if (node.kind === 'error') {
      if (node.message.endsWith('Line too long')) return this.error(frame, node.message, node.loc);
      // An end tag with no open section: judged on the expanded line, as httpd does.
      const word = getWordConf(this.expand(node.text, node.loc)).word;
      return this.error(frame, `${word} without matching <${word.slice(2)} section`, node.loc);
    }
    const text = this.expand(node.text, node.loc);
    let info: NameInfo;
    let rawArgs: string;
    if (text !== node.text) {
      const first = getWordConf(text);
      if (first.word === '') return undefined; // httpd ignores a line whose first word is empty
      info = this.nameInfo(first.word);
      rawArgs = text.slice(first.next);
      if (node.kind === 'section' && rawArgs === '') rawArgs = '>';
    } else if (node.kind === 'directive') {
      // Nothing was expanded: the parser has split this very text already.
      if (node.name === '') return undefined;
      info = this.nameInfo(node.name);
      rawArgs = node.rawArgs;
    } else {
      // The same for a section: its first word is `<` and the name (and maybe a `>`), and the
      // parser has given `>` as argument text when there is none.
      info = this.sectionNameInfo(node.name);
      rawArgs = node.rawArgs;
    }
    const handled = info.handled;
    if (handled && this.isLoaded(handled.module)) {
      return this.execute(handled.name, node, rawArgs, into, frame);
    }
    rawArgs = this.words.share(rawArgs);
    if (node.kind === 'section') return this.section(node, info.section, rawArgs, into, frame);
    return this.pushDirective(info.name, rawArgs, node.loc, into, frame);
  }

  /** Add a directive node, its argument text split into words. */
  private pushDirective(name: string, rawArgs: string, loc: Loc, into: ConfigNode[], frame: Frame): undefined {
    const d: ConfigDirective = { kind: 'directive', name, args: splitWords(rawArgs, rawArgs.length, this.words), rawArgs, loc, includedFrom: frame.chain };
    into.push(d);
    return undefined;
  }

  /** Add a section node; the caller builds its children into `children` and then ends it. */
  private pushSection(name: string, rawArgs: string, loc: Loc, endLoc: Loc, into: ConfigNode[], frame: Frame): ConfigSection {
    const gt = rawArgs.lastIndexOf('>');
    const section: ConfigSection = {
      kind: 'section',
      name,
      args: splitWords(rawArgs, gt === -1 ? rawArgs.length : gt, this.words),
      rawArgs,
      closed: gt !== -1,
      loc,
      endLoc,
      includedFrom: frame.chain,
      children: [],
    };
    into.push(section);
    return section;
  }

  /** What a line's first word names (cached: the same few words start most lines). */
  private nameInfo(word: string): NameInfo {
    // Lines in a row often start with the same word: compared first, before the lookup.
    if (word === this.lastName?.name) return this.lastName;
    let info = this.names.get(word);
    if (info === undefined) {
      const name = !word.startsWith('</') && word.endsWith('>') ? word.slice(0, -1) : word;
      const lower = name.toLowerCase();
      info = { name, section: name.slice(1), handled: Object.hasOwn(READER_DIRECTIVES, lower) ? READER_DIRECTIVES[lower] : undefined };
      this.names.set(word, info);
    }
    if (info.name === word) this.lastName = info;
    return info;
  }

  /** nameInfo of a section's opening tag, by the section name the parser found (without `<`). */
  private sectionNameInfo(rawName: string): NameInfo {
    let info = this.sectionNames.get(rawName);
    if (info === undefined) {
      info = this.nameInfo(`<${rawName}`);
      this.sectionNames.set(rawName, info);
    }
    return info;
  }

  /** The name httpd uses for an open section in messages: the registered one when known. */
  canonicalName(written: string): string {
    let name = this.canonicalNames.get(written);
    if (name === undefined) {
      name = this.findCanonicalName(written);
      this.canonicalNames.set(written, name);
    }
    return name;
  }

  private findCanonicalName(written: string): string {
    const lower = `<${written.toLowerCase()}`;
    const reader = READER_DIRECTIVES[lower];
    if (reader && this.isLoaded(reader.module)) return reader.name.slice(1);
    for (const c of this.opts.registry.lookup(lower)) {
      if (this.isLoaded(c.module.id) || c.module.builtin) return c.entry.name.slice(1);
    }
    return written;
  }

  private section(raw: RawSection, name: string, rawArgs: string, into: ConfigNode[], frame: Frame): ConfigError | undefined {
    const section = this.pushSection(name, rawArgs, raw.loc, raw.endLoc, into, frame);
    const children = section.children;
    const err = this.nodes(raw.children, children, frame);
    // Kept at its exact length (an array grown by push keeps room for more).
    section.children = children.slice();
    if (err) return err;
    if (raw.endText === undefined) {
      frame.unclosed?.push(raw);
      return undefined;
    }
    return this.checkEndTag(raw.endText, raw.endLoc, name, frame);
  }

  /** ap_build_config_sub's check of an end tag against the innermost open section. */
  private checkEndTag(text: string, endLoc: Loc, openName: string, frame: Frame): ConfigError | undefined {
    const canonical = this.canonicalName(openName);
    if (isEndTagOf(text, canonical)) return undefined;
    const endText = this.expand(text, endLoc);
    const word = getWordConf(endText).word;
    if (!word.endsWith('>')) return this.error(frame, `${word}> directive missing closing '>'`, endLoc);
    const seen = word.slice(2, -1);
    if (seen.toLowerCase() !== canonical.toLowerCase()) {
      return this.error(frame, `Expected </${canonical}> but saw </${seen}>`, endLoc);
    }
    return undefined;
  }

  // ---------------------------------------------------------------- EXEC_ON_READ

  private execute(name: string, node: RawNode, rawArgs: string, into: ConfigNode[], frame: Frame): ConfigError | undefined {
    const loc = node.loc;
    const fail = (message: string) => this.error(frame, message, loc);
    const words = splitWords(rawArgs);
    const has = (i: number) => words.length > i && words[i] !== '';
    const help = HELP[name] ? `, ${HELP[name]}` : '';
    switch (name) {
      case 'Include':
      case 'IncludeOptional': {
        if (!has(0) || words.length > 1) return fail(`${name} takes one argument${help}`);
        if (node.kind === 'section') return undefined;
        if (this.includeDepth + 1 > MAX_INCLUDE_DEPTH) {
          return fail(`Exceeded maximum include depth of ${MAX_INCLUDE_DEPTH}, There appears to be a recursion.`);
        }
        this.includeDepth++;
        const err = this.includePattern(this.rootRelative(words[0]), name === 'IncludeOptional', into, frame, loc);
        this.includeDepth--;
        return err;
      }
      case 'Define': {
        if (!has(0) || words.length > 2) return fail(`Define takes 1-2 arguments${help}`);
        const v = words[0];
        if (v.includes(':')) return fail("Variable name must not contain ':'");
        if (!this.defines.includes(v)) this.defines.push(v);
        if (has(1)) {
          for (const k of this.variables.keys()) if (k.toLowerCase() === v.toLowerCase()) this.variables.delete(k);
          this.variables.set(v, words[1]);
        }
        return undefined;
      }
      case 'UnDefine': {
        if (!has(0) || words.length > 1) return fail(`UnDefine takes one argument${help}`);
        const v = words[0];
        if (v.includes(':')) return fail("Variable name must not contain ':'");
        const i = this.defines.indexOf(v);
        if (i !== -1) {
          // httpd moves the last entry into the freed slot.
          const last = this.defines.pop() as string;
          if (i < this.defines.length) this.defines[i] = last;
        }
        for (const k of [...this.variables.keys()]) if (k.toLowerCase() === v.toLowerCase()) this.variables.delete(k);
        return undefined;
      }
      case 'ServerRoot': {
        if (!has(0) || words.length > 1) return fail(`ServerRoot takes one argument${help}`);
        const p = this.rootRelative(words[0]);
        if (!isDirectory(p)) return fail('ServerRoot must be a valid directory');
        this.serverRoot = p;
        return undefined;
      }
      case 'DefaultRuntimeDir': {
        if (!has(0) || words.length > 1) return fail(`DefaultRuntimeDir takes one argument${help}`);
        const p = this.rootRelative(words[0]);
        if (!isDirectory(p)) return fail('DefaultRuntimeDir must be a valid directory, absolute or relative to ServerRoot');
        this.runtimeDir = p;
        return undefined;
      }
      case 'LoadModule':
        if (!has(0) || !has(1) || words.length > 2) return fail(`LoadModule takes two arguments${help}`);
        return this.loadModule(words[0], words[1], loc, frame);
      case 'LoadFile':
        if (!has(0)) return fail(`LoadFile requires at least one argument${help}`);
        for (const w of words) {
          if (w === '') break;
          // httpd dlopen()s the file: it must exist and be a shared object.
          const r = dsoError({ written: w, fullPath: this.rootRelative(w), env: this.env });
          if ('error' in r) return fail(r.error);
          this.loadFiles.push(r.file);
        }
        return undefined;
      case '<IfModule':
      case '<IfDefine':
      case '<IfFile':
      case '<IfDirective':
      case '<IfSection':
      case '<IfVersion':
        return this.conditional(name, node, rawArgs, words, into, frame);
      case '<Macro':
      case 'Use':
      case 'UndefMacro':
        return this.macros.execute(name, node, rawArgs, into, frame);
    }
    return undefined;
  }

  private loadModule(id: string, file: string, loc: Loc, frame: Frame): ConfigError | undefined {
    const m = this.opts.registry.moduleById(id);
    if ((m && m.builtin) || (!m && DEBIAN_BUILTINS.has(id))) {
      return this.error(frame, `module ${id} is built-in and can't be loaded`, loc);
    }
    if (this.loadedSet.has(id)) {
      this.diagnostics.push({
        severity: 'warning',
        rule: 'httpd',
        code: 'AH01574',
        message: `module ${id} is already loaded, skipping`,
        loc,
      });
      return undefined;
    }
    if (!m) return this.foreignModule(id, file, loc, frame);
    // featherd's own modules are built in: the file is not opened (it need not exist).
    this.markLoaded(id);
    return undefined;
  }

  /**
   * LoadModule of a module featherd does not provide. httpd's error when the file would not load
   * or lacks the module's symbol; otherwise featherd's own: it cannot run Apache's modules, and
   * a configuration that relies on one (mod_php, mod_userdir…) would silently behave otherwise.
   */
  private foreignModule(id: string, file: string, loc: Loc, frame: Frame): ConfigError {
    const r = dsoError({ written: file, fullPath: this.rootRelative(file), env: this.env, symbol: id });
    if ('error' in r) return this.error(frame, r.error, loc);
    const err = this.error(frame, `Cannot load ${file} into server: featherd does not provide ${id} and cannot load Apache modules`, loc);
    err.hint = 'featherd has its modules built in (`featherd -l` lists them): remove this LoadModule line and what needs the module';
    return err;
  }

  /** find_module: a loaded module by source file name (`mod_proxy.c`) or identifier. */
  private moduleIsPresent(name: string): boolean {
    for (const id of this.loaded) {
      if (id === name) return true;
      const m = this.opts.registry.moduleById(id);
      const file = m ? m.file : guessFile(id);
      if (file === name) return true;
    }
    for (const id of DEBIAN_BUILTINS) {
      if (this.opts.registry.moduleById(id) === undefined && (id === name || guessFile(id) === name)) return true;
    }
    return false;
  }

  /** ap_exists_directive: a directive of that name from a loaded module. */
  private directiveExists(lower: string): boolean {
    const reader = READER_DIRECTIVES[lower];
    if (reader && this.isLoaded(reader.module)) return true;
    return this.opts.registry.lookup(lower).some((c) => this.isLoaded(c.module.id) || c.module.builtin === true);
  }

  private conditional(
    name: string,
    node: RawNode,
    rawArgs: string,
    words: string[],
    into: ConfigNode[],
    frame: Frame,
  ): ConfigError | undefined {
    const loc = node.loc;
    let result: boolean;
    if (name === '<IfVersion') {
      if (words.length === 0 || words[0] === '' || words.length > 3) {
        return this.error(frame, `<IfVersion takes one, two or three arguments, ${HELP['<IfVersion']}`, loc);
      }
      const r = evalIfVersion(words, this.opts.serverVersion ?? DEFAULT_SERVER_VERSION);
      if (typeof r === 'string') return this.error(frame, r, loc);
      result = r;
    } else {
      // start_cond_section (core.c)
      const endp = rawArgs.lastIndexOf('>');
      if (endp === -1) return this.error(frame, `${name}> directive missing closing '>'`, loc);
      let arg = rawArgs.slice(0, endp);
      const not = arg.startsWith('!');
      if (not) arg = arg.slice(1);
      const arg1 = getWordConf(arg).word;
      if (arg1 === '') return this.error(frame, `${name}> directive requires additional arguments`, loc);
      let found: boolean;
      switch (name) {
        case '<IfModule':
          found = this.moduleIsPresent(arg1);
          break;
        case '<IfDefine':
          found = this.defines.includes(arg1);
          break;
        case '<IfFile':
          found = pathExists(this.rootRelative(arg1));
          break;
        case '<IfDirective':
          found = this.directiveExists(arg1.toLowerCase());
          break;
        default:
          found = this.directiveExists(`<${arg1}`.toLowerCase());
      }
      result = not ? !found : found;
    }
    if (node.kind !== 'section') {
      // `IfModule>` written without `<` is an ordinary line: nothing to read.
      return undefined;
    }
    if (result) return this.trueBody(name, node, into, frame);
    return this.soak(name, node, frame);
  }

  /** ap_build_cont_config: read the body into the parent, until a line that is exactly `</Name>`. */
  private trueBody(name: string, raw: RawSection, into: ConfigNode[], frame: Frame): ConfigError | undefined {
    const inner: Frame = { ...frame, unclosed: null };
    const err = this.nodes(raw.children, into, inner);
    if (err) return err;
    if (raw.endText === undefined) return undefined; // httpd accepts the end of the file here
    if (raw.endText.toLowerCase() === `</${name.slice(1).toLowerCase()}>`) return undefined;
    const word = getWordConf(this.expand(raw.endText, raw.endLoc)).word;
    return this.error(frame, `${word} without matching <${word.slice(2)} section`, raw.endLoc);
  }

  /** ap_soak_end_container: skip the body, checking only that sections inside it are balanced. */
  private soak(name: string, raw: RawSection, frame: Frame): ConfigError | undefined {
    const lines: SoakLine[] = [];
    flatten(raw.children, lines);
    if (raw.endText !== undefined) lines.push({ text: raw.endText, loc: raw.endLoc });
    const pos = { i: 0 };
    const msg = soakLines(lines, pos, name);
    return msg === undefined ? undefined : this.error(frame, msg, raw.loc);
  }

  tree(mainFile: string, nodes: ConfigNode[]): ConfigTree {
    const t: ConfigTree = {
      mainFile,
      serverRoot: this.serverRoot,
      nodes,
      files: this.files,
      includes: this.includes,
      defines: this.defines,
      variables: this.variables,
      loadedModules: this.loaded,
    };
    if (this.opts.configDump) t.configDump = true;
    if (this.runtimeDir !== undefined) t.runtimeDir = this.runtimeDir;
    if (this.loadFiles.length) t.loadFiles = this.loadFiles;
    return t;
  }
}

function flatten(nodes: RawNode[], out: SoakLine[]): void {
  for (const n of nodes) {
    out.push({ text: n.text, loc: n.loc });
    if (n.kind === 'section') {
      flatten(n.children, out);
      if (n.endText !== undefined) out.push({ text: n.endText, loc: n.endLoc });
    }
  }
}

/** The line-by-line skip of ap_soak_end_container; returns an error message or undefined. */
function soakLines(lines: SoakLine[], pos: { i: number }, directive: string): string | undefined {
  while (pos.i < lines.length) {
    const line = lines[pos.i++];
    const r = getWordConf(line.text);
    let cmd = r.word;
    if (cmd[0] !== '<') continue;
    if (cmd[1] === '/') {
      cmd = cmd.slice(0, -1);
      if (cmd.slice(2).toLowerCase() !== directive.slice(1).toLowerCase()) {
        return `Expected </${directive.slice(1)}> but saw ${cmd}>`;
      }
      return undefined;
    }
    if (r.next >= line.text.length && cmd.endsWith('>')) cmd = cmd.slice(0, -1);
    const msg = soakLines(lines, pos, cmd);
    if (msg !== undefined) return msg;
  }
  return `Expected </${directive.slice(1)}> before end of configuration`;
}

/**
 * A file's text, decoded as UTF-8. Most configurations are plain ASCII: those are checked as
 * such and copied as Latin-1, which gives the same string about twice as fast as decoding.
 */
function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

function guessFile(id: string): string {
  return `mod_${id.replace(/_module$/, '')}.c`;
}

/** The reader's view for helpers that need it (macro expansion). */
export type ReaderContext = Reader;
export type ReaderFrame = Frame;

/**
 * Read a configuration as httpd does at startup: -C directives, the main file (with its
 * includes), then -c directives. Never throws.
 */
export function readConfig(opts: ReadOptions): { result: Result<ConfigTree>; diagnostics: Diagnostic[] } {
  let reader: Reader | undefined;
  try {
    reader = new Reader(opts);
    const nodes: ConfigNode[] = [];
    const mainFile = reader.rootRelative(opts.file);
    let err = reader.readCommandLine(opts.preDirectives ?? [], nodes);
    if (!err) err = reader.includePattern(mainFile, false, nodes, undefined, undefined);
    if (!err) err = reader.readCommandLine(opts.postDirectives ?? [], nodes);
    if (err) return { result: fail(err), diagnostics: reader.diagnostics };
    return { result: ok(reader.tree(mainFile, nodes)), diagnostics: reader.diagnostics };
  } catch (e) {
    // Reading is written not to throw; this keeps the promise for failures of the platform.
    const message = `Could not read configuration: ${e instanceof Error ? e.message : String(e)}`;
    return { result: fail({ phase: 'plain', message }), diagnostics: reader?.diagnostics ?? [] };
  }
}
