import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A file name for people: relative to `cwd` when the file is below it, else as given. */
export function displayPath(file: string, cwd: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file;
  return rel;
}

/**
 * A SARIF artifact URI: relative (with `/` separators, percent-encoded) when the file is below
 * `cwd`, else an absolute `file://` URI.
 */
export function artifactUri(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (!isAbsolute(file)) return { uri: encodeRelative(file.split(sep).join('/')), uriBaseId: 'SRCROOT' };
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: encodeRelative(rel.split(sep).join('/')), uriBaseId: 'SRCROOT' };
}

function encodeRelative(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

/** The directory URI SARIF's `originalUriBaseIds.SRCROOT` points to (ends with `/`). */
export function baseUri(cwd: string): string {
  const href = pathToFileURL(cwd).href;
  return href.endsWith('/') ? href : href + '/';
}
