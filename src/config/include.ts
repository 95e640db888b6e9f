/**
 * Which files an `Include`/`IncludeOptional` pattern names, in httpd's order
 * (server/util.c ap_dir_fnmatch / ap_dir_nofnmatch):
 *  - wildcards may appear in any path component; a match in a non-final component must be a
 *    directory; matches are sorted with strcmp;
 *  - a path (or match) that is a directory includes everything in it, recursively, sorted,
 *    `.` and `..` skipped (hidden files are included);
 *  - IncludeOptional tolerates a missing file or directory and a wildcard without matches.
 * Files are handed to `visit` one by one; the first error stops the walk, as in httpd.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ConfigError } from '../util/diagnostics.js';
import { isDirectory, strerror } from '../util/fs.js';
import { fnmatch, hasWildcard } from './fnmatch.js';

/** httpd's AP_MAX_FNMATCH_DIR_DEPTH. */
export const MAX_DIR_DEPTH = 128;
const PREFIX = 'Include/IncludeOptional: ';

/** A message not yet located (the caller puts it at the Include line), or a located error. */
export type IncludeError = string | ConfigError;
export type Visit = (file: string) => IncludeError | undefined;

function strcmp(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

interface Walk {
  optional: boolean;
  depth: number;
  visit: Visit;
}

function noFnmatch(w: Walk, fname: string): IncludeError | undefined {
  if (isDirectory(fname)) {
    if (++w.depth > MAX_DIR_DEPTH) {
      return `${PREFIX}Directory '${fname}' exceeds the maximum include directory nesting level of ${MAX_DIR_DEPTH}. You have probably a recursion somewhere.`;
    }
    let names: string[];
    try {
      names = fs.readdirSync(fname);
    } catch (e) {
      return `${PREFIX}Could not open directory ${fname}: ${strerror(e)}`;
    }
    const full = names.filter((n) => n !== '.' && n !== '..').map((n) => joinPath(fname, n));
    full.sort(strcmp);
    for (const f of full) {
      const err = noFnmatch(w, f);
      if (err !== undefined) return err;
    }
    w.depth--;
    return undefined;
  }
  if (w.optional) {
    try {
      fs.statSync(fname);
    } catch {
      return undefined;
    }
  }
  return w.visit(fname);
}

/** ap_make_full_path: join with exactly one slash. */
function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function withFnmatch(w: Walk, dir: string, pattern: string): IncludeError | undefined {
  const slash = pattern.indexOf('/');
  const part = slash === -1 ? pattern : pattern.slice(0, slash);
  const rest = slash === -1 ? undefined : pattern.slice(slash + 1);
  if (!hasWildcard(part)) {
    const p = joinPath(dir, part);
    return rest !== undefined ? withFnmatch(w, p, rest) : noFnmatch(w, p);
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT' && w.optional) return undefined;
    return `${PREFIX}Could not open directory ${dir}: ${strerror(e)}`;
  }
  const candidates: string[] = [];
  for (const ent of entries) {
    if (ent.name === '.' || ent.name === '..' || !fnmatch(part, ent.name)) continue;
    if (rest !== undefined && !ent.isDirectory()) continue;
    candidates.push(joinPath(dir, ent.name));
  }
  if (candidates.length === 0) {
    return w.optional ? undefined : `${PREFIX}No matches for the wildcard '${part}' in '${dir}', failing`;
  }
  candidates.sort(strcmp);
  for (const c of candidates) {
    const err = rest === undefined ? noFnmatch(w, c) : withFnmatch(w, c, rest);
    if (err !== undefined) return err;
  }
  return undefined;
}

/**
 * Visit every file `absPattern` names (ap_process_fnmatch_configs). `absPattern` is already
 * ServerRoot-relative resolved.
 */
export function forEachIncluded(absPattern: string, optional: boolean, visit: Visit): IncludeError | undefined {
  const w: Walk = { optional, depth: 0, visit };
  if (!hasWildcard(absPattern)) return noFnmatch(w, absPattern);
  if (!path.isAbsolute(absPattern)) return `Include must have an absolute path, ${absPattern}`;
  return withFnmatch(w, '/', absPattern.replace(/^\/+/, ''));
}
