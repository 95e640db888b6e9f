/**
 * httpd's ap_directory_walk and ap_file_walk for a file path, followed by the location walk
 * (the order ap_process_request_internal merges them in):
 *  - `<Directory>` sections without a regex, shortest path first (core's
 *    ap_core_reorder_directories), each applying to the directory it names and everything
 *    below (wildcards matched segment by segment, `*` not crossing `/`);
 *  - `<Directory ~>` / `<DirectoryMatch>` in file order, searched in the directory path;
 *  - `<Files>` / `<FilesMatch>` of the server and of the matched directories, on the last
 *    path segment;
 *  - `<Location>` sections, as the core's location walk does.
 * While walking, every path segment is looked at with lstat: a symbolic link is followed only
 * where `Options FollowSymLinks` (or SymLinksIfOwnerMatch with the same owner) is in effect.
 */
import { promises as fsp, type BigIntStats } from 'node:fs';
import type { ConfigSet } from '../../../directives/types.js';
import { pathnameWildcard } from '../../../runtime/compile/sections.js';
import { mergeDirSets } from '../../../runtime/compile/merge.js';
import type { CompiledServer } from '../../../runtime/compile/types.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { coreServer, type CoreSection } from '../config.js';
import { effectiveOptions } from './options.js';
import { fsPath, type FileInfo } from './state.js';

interface DirMatcher {
  sec: CoreSection;
  /** Number of `/` in the path (ap_count_dirs), for plain and wildcard sections. */
  depth: number;
  test(dirPath: string): boolean;
}

interface ServerSections {
  plain: DirMatcher[];
  regex: DirMatcher[];
  files: CoreSection[];
}

const bySever = new WeakMap<CompiledServer, ServerSections>();

function slashes(s: string): number {
  let n = 0;
  for (const c of s) if (c === '/') n++;
  return n;
}

function dirMatcher(sec: CoreSection): DirMatcher {
  if (sec.regex) {
    const re = sec.regex;
    return { sec, depth: 0, test: (p) => (re.lastIndex = 0, re.test(p)) };
  }
  const depth = slashes(sec.path);
  if (sec.isFnmatch) {
    const re = pathnameWildcard(sec.path);
    return { sec, depth, test: (p) => re.test(p) };
  }
  return { sec, depth, test: (p) => p === sec.path };
}

function sectionsOf(server: CompiledServer, main: CompiledServer): ServerSections {
  let s = bySever.get(server);
  if (s) return s;
  const all = server === main ? coreServer(main.rec).sections : [...coreServer(main.rec).sections, ...coreServer(server.rec).sections];
  const plain: DirMatcher[] = [];
  const regex: DirMatcher[] = [];
  const files: CoreSection[] = [];
  for (const sec of all) {
    if (sec.kind === 'directory' || sec.kind === 'directorymatch') (sec.regex ? regex : plain).push(dirMatcher(sec));
    else if (sec.kind === 'files' || sec.kind === 'filesmatch') files.push(sec);
  }
  plain.sort((a, b) => a.depth - b.depth);
  s = { plain, regex, files };
  bySever.set(server, s);
  return s;
}

function fileMatches(sec: CoreSection, name: string): boolean {
  if (sec.regex) {
    sec.regex.lastIndex = 0;
    return sec.regex.test(name);
  }
  if (sec.isFnmatch) return pathnameWildcard(sec.path).test(name);
  return sec.path === name;
}

export interface WalkResult {
  dir: ConfigSet;
  info: FileInfo;
  /** The filename after the walk (cut where the path stopped existing or reached a file). */
  filename: string;
}

async function lstatOf(p: string): Promise<BigIntStats | null> {
  try {
    return await fsp.lstat(fsPath(p), { bigint: true });
  } catch {
    return null;
  }
}

async function statOf(p: string): Promise<BigIntStats | null> {
  try {
    return await fsp.stat(fsPath(p), { bigint: true });
  } catch {
    return null;
  }
}

/**
 * Walks `filename` (an absolute path) for `uri`. Returns the merged per-directory configuration
 * and what exists on disk, or the 403 of a symbolic link that is not allowed.
 */
export async function walkFile(server: CompiledServer, main: CompiledServer, filename: string, uri: string): Promise<{ ok: true; value: WalkResult } | { ok: false; error: HttpError }> {
  const secs = sectionsOf(server, main);
  const hits: CoreSection[] = [];
  let dir = server.dirDefaults;
  const applyLevel = (dirPath: string) => {
    const depth = slashes(dirPath);
    for (const m of secs.plain) {
      if (m.depth === depth && m.test(dirPath)) {
        hits.push(m.sec);
        dir = mergeDirSets(dir, m.sec.dirConfigs);
      }
    }
  };
  applyLevel('/');
  const trailing = filename.length > 1 && filename.endsWith('/');
  const parts = filename.split('/').filter((p) => p !== '');
  let current = '';
  let stat: BigIntStats | null = null;
  let pathInfo = '';
  let outName = filename;
  for (let i = 0; i < parts.length; i++) {
    current += '/' + parts[i];
    const l = await lstatOf(current);
    if (!l) {
      stat = null;
      outName = current;
      pathInfo = i + 1 < parts.length ? '/' + parts.slice(i + 1).join('/') + (trailing ? '/' : '') : '';
      break;
    }
    let s = l;
    if (l.isSymbolicLink()) {
      const opts = effectiveOptions(dir);
      const target = await statOf(current);
      const allowed = opts.has('FollowSymLinks') || (opts.has('SymLinksIfOwnerMatch') && target !== null && target.uid === l.uid);
      if (!allowed || !target) {
        return { ok: false, error: httpError(403, `AH00037: Symbolic link not allowed or link target not accessible: ${current}`) };
      }
      s = target;
    }
    stat = s;
    if (!s.isDirectory()) {
      outName = current;
      if (i + 1 < parts.length || trailing) pathInfo = '/' + parts.slice(i + 1).join('/') + (trailing && i + 1 < parts.length ? '/' : '');
      break;
    }
    applyLevel(current + '/');
    if (i + 1 === parts.length) outName = filename;
  }
  if (parts.length === 0) stat = await statOf('/');
  const isDir = stat?.isDirectory() === true && pathInfo === '';
  // Regex sections are matched against the file name (httpd's directory_walk tests r->filename;
  // a directory's with its trailing slash), so `<DirectoryMatch "^/www/sec">` also covers the
  // file /www/secret.txt.
  const regexPath = isDir ? outName.replace(/\/?$/, '/') : outName;
  for (const m of secs.regex) {
    if (m.test(regexPath)) {
      hits.push(m.sec);
      dir = mergeDirSets(dir, m.sec.dirConfigs);
    }
  }
  const base = outName.slice(outName.lastIndexOf('/') + 1);
  const fileSecs = [...secs.files, ...hits.flatMap((h) => h.nested.filter((n) => n.kind === 'files' || n.kind === 'filesmatch'))];
  for (const f of fileSecs) {
    if (fileMatches(f, base)) {
      dir = mergeDirSets(dir, f.dirConfigs);
      for (const n of f.nested) if ((n.kind === 'files' || n.kind === 'filesmatch') && fileMatches(n, base)) dir = mergeDirSets(dir, n.dirConfigs);
    }
  }
  for (const loc of server.locations) {
    if (loc.match(uri)) dir = mergeDirSets(dir, loc.dirConfigs);
  }
  return { ok: true, value: { dir, info: { stat, pathInfo }, filename: outName } };
}
