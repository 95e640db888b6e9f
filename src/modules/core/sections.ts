import path from 'node:path';
import type { ConfigSection } from '../../config/ast.js';
import type { Cmd, ConfigSet } from '../../directives/types.js';
import { ACCESS_CONF, NOT_IN_DIR_CONTEXT, NOT_IN_LIMIT, NOT_IN_LOCATION, OR_ALL } from '../../directives/types.js';
import { coreDir, cs, type CoreSection, type SectionKind } from './config.js';
import { compileRegex } from './regex.js';
import { EXPR_SCANNER_JAMMED, parseExpr } from '../../expr/index.js';

/** httpd's unclosed_directive / missing_container_arg and the `>` split of a section's raw arguments. */
export function sectionArgs(cmd: Cmd, raw: string): { text: string } | string {
  const end = raw.lastIndexOf('>');
  if (end < 0) return `${cmd.entry.name}> directive missing closing '>'`;
  const text = raw.slice(0, end);
  if (text.trim() === '') return `${cmd.entry.name}> directive requires additional arguments`;
  return { text };
}

/** The words of the section's opening tag (the reader split them already, up to the last `>`). */
function words(cmd: Cmd): string[] {
  return (cmd.node as ConfigSection).args;
}

function children(cmd: Cmd) {
  return (cmd.node as ConfigSection).children ?? [];
}

/** Where a new section record goes: the server's list at top level, else the enclosing section's. */
function addSection(cmd: Cmd, sec: CoreSection): void {
  if (cmd.path === undefined) cs(cmd).sections.push(sec);
  else coreDir(cmd.dirConfigs).nested.push(sec);
}

function newSection(cmd: Cmd, kind: SectionKind, p: string, set: ConfigSet): CoreSection {
  const dir = coreDir(set);
  return { kind, path: p, isFnmatch: /[*?[]/.test(p), loc: cmd.node.loc, dirConfigs: set, nested: dir.nested };
}

function multiple(cmd: Cmd, w: string[], notYet = true): string | undefined {
  if (w.length > 1) return `Multiple ${cmd.entry.name}> arguments not ${notYet ? '(yet) ' : ''}supported.`;
  return undefined;
}

/** The section's words and pattern; `<Directory ~ re>` (and Location, Files) is the regex form, as `…Match re`. */
function sectionPattern(cmd: Cmd, isMatch: boolean): { w: string[]; p: string; regexForm: boolean } {
  const w = words(cmd);
  if (!isMatch && w[0] === '~') return { w: w.slice(1), p: w[1] ?? '', regexForm: true };
  return { w, p: w[0] ?? '', regexForm: isMatch };
}

/** A regex section's record fields, or httpd's error when the pattern does not compile. */
function regexFields(p: string): Pick<CoreSection, 'regex' | 'groupNames' | 'isFnmatch'> | string {
  const r = compileRegex(p);
  if (!r) return 'Regex could not be compiled';
  return { regex: r.regex, groupNames: r.groupNames, isFnmatch: false };
}

/** `<Directory>` and `<DirectoryMatch>` (core.c dirsection). */
export function dirSection(isMatch: boolean) {
  return (cmd: Cmd, _args: string[], raw: string) => {
    const err = cmd.checkContext(NOT_IN_DIR_CONTEXT);
    if (err) return err;
    const a = sectionArgs(cmd, raw);
    if (typeof a === 'string') return a;
    const pat = sectionPattern(cmd, isMatch);
    const { w, regexForm } = pat;
    let p = pat.p;
    let sec: Partial<CoreSection> = {};
    if (regexForm) {
      const re = regexFields(p);
      if (typeof re === 'string') return re;
      sec = re;
    } else if (p !== '/') {
      // apr_filepath_merge(TRUENAME) against the working directory, then a trailing '/'.
      p = path.resolve(p);
      if (!p.endsWith('/')) p += '/';
    }
    const set = cmd.state.newDirConfigs();
    const record = { ...newSection(cmd, isMatch || regexForm ? 'directorymatch' : 'directory', p, set), ...sec };
    const werr = cmd.walk(children(cmd), { override: ACCESS_CONF | OR_ALL, path: p, dirConfigs: set });
    if (werr) return werr;
    addSection(cmd, record);
    return multiple(cmd, w);
  };
}

/** `<Location>` and `<LocationMatch>` (core.c urlsection). */
export function urlSection(isMatch: boolean) {
  return (cmd: Cmd, _args: string[], raw: string) => {
    const err = cmd.checkContext(NOT_IN_DIR_CONTEXT);
    if (err) return err;
    const a = sectionArgs(cmd, raw);
    if (typeof a === 'string') return a;
    const { w, p, regexForm } = sectionPattern(cmd, isMatch);
    const set = cmd.state.newDirConfigs();
    const record = newSection(cmd, regexForm ? 'locationmatch' : 'location', p, set);
    if (regexForm) {
      const re = regexFields(p);
      if (typeof re === 'string') return re;
      Object.assign(record, re);
    }
    const werr = cmd.walk(children(cmd), { override: ACCESS_CONF | OR_ALL, path: p, dirConfigs: set });
    if (werr) return werr;
    addSection(cmd, record);
    return multiple(cmd, w);
  };
}

/** `<Files>` and `<FilesMatch>` (core.c filesection). */
export function fileSection(isMatch: boolean) {
  return (cmd: Cmd, _args: string[], raw: string) => {
    const err = cmd.checkContext(NOT_IN_LOCATION | NOT_IN_LIMIT);
    if (err) return err;
    const a = sectionArgs(cmd, raw);
    if (typeof a === 'string') return a;
    const { w, p, regexForm } = sectionPattern(cmd, isMatch);
    const set = cmd.state.newDirConfigs();
    const record = newSection(cmd, regexForm ? 'filesmatch' : 'files', p, set);
    if (regexForm) {
      const re = regexFields(p);
      if (typeof re === 'string') return re;
      Object.assign(record, re);
    }
    const override = cmd.path === undefined ? ACCESS_CONF | OR_ALL : cmd.override;
    const werr = cmd.walk(children(cmd), { override, path: p, dirConfigs: set });
    if (werr) return werr;
    addSection(cmd, record);
    return multiple(cmd, w);
  };
}

/** `<If>`, `<ElseIf>`, `<Else>` (core.c ifsection). The condition is kept as text. */
export function ifSection(kind: 'if' | 'elseif' | 'else') {
  return (cmd: Cmd, _args: string[], raw: string) => {
    const err = cmd.checkContext(NOT_IN_LIMIT);
    if (err) return err;
    const end = raw.lastIndexOf('>');
    if (end < 0) return `${cmd.entry.name}> directive missing closing '>'`;
    const text = raw.slice(0, end).trim();
    const w = words(cmd);
    if (kind === 'else') {
      if (text !== '') return '<Else> does not take an argument';
    } else if (text === '') {
      return `${cmd.entry.name}> directive requires additional arguments`;
    }
    const scope = cmd.path === undefined ? cs(cmd).sections : coreDir(cmd.dirConfigs).nested;
    if (kind !== 'if') {
      const prev = [...scope].reverse().find((s) => s.kind === 'if' || s.kind === 'elseif' || s.kind === 'else');
      if (!prev || prev.kind === 'else') {
        return '<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope';
      }
    }
    const set = cmd.state.newDirConfigs();
    // httpd gives an <If> body a directory context even at top level.
    const ipath = cmd.path ?? '';
    const record = newSection(cmd, kind, ipath, set);
    record.isFnmatch = false;
    if (kind !== 'else') {
      record.condition = w[0];
      const parsed = parseExpr(w[0], { ssl: cmd.state.tree.loadedModules.includes('ssl_module') });
      if (!parsed.ok) {
        return parsed.error === EXPR_SCANNER_JAMMED ? parsed.error : `Cannot parse condition clause: ${parsed.error}`;
      }
      record.expr = parsed.value;
    }
    const override = cmd.path === undefined ? ACCESS_CONF | OR_ALL : cmd.override;
    const werr = cmd.walk(children(cmd), { override, path: ipath, dirConfigs: set });
    if (werr) return werr;
    scope.push(record);
    if (kind !== 'else' && w.length > 1) return `Multiple ${cmd.entry.name}> arguments not supported.`;
    return undefined;
  };
}
