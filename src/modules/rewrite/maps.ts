/**
 * RewriteMap lookups at run time (lookup_map): `txt:` and `rnd:` files are read into a cache
 * that is dropped when the file's modification time changes (checked on every lookup, as
 * httpd does), `rnd:` picks one of the `|`-separated values at random, and `int:` runs
 * toupper, tolower, escape or unescape.
 */
import fs from 'node:fs';
import { escapePath, unescapeUrl } from '../core/static/index.js';
import type { RewriteMapDef } from './config.js';

interface CachedFile {
  mtimeMs: number;
  entries: Map<string, string>;
}

const cache = new Map<string, CachedFile>();

/** lookup_map_txtfile's reading rules: `key value` lines, the first line for a key wins. */
export function parseMapFile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line[0] === '#' || /\s/.test(line[0])) continue;
    const m = /^(\S+)\s+(\S+)/.exec(line);
    if (!m || out.has(m[1])) continue;
    out.set(m[1], m[2]);
  }
  return out;
}

function fileEntries(file: string): Map<string, string> | null {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return null;
  }
  const have = cache.get(file);
  if (have && have.mtimeMs === st.mtimeMs) return have.entries;
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch {
    return null;
  }
  const entries = parseMapFile(text);
  cache.set(file, { mtimeMs: st.mtimeMs, entries });
  return entries;
}

function pickRandom(value: string): string {
  const parts = value.split('|');
  return parts[Math.floor(Math.random() * parts.length)] ?? value;
}

/** The value of `key` in `map`, or null when there is none (the default, if any, applies). */
export function lookupMap(map: RewriteMapDef | undefined, key: string): string | null {
  if (!map) return null;
  switch (map.type) {
    case 'txt':
    case 'rnd': {
      const v = fileEntries(map.source)?.get(key);
      if (v === undefined) return null;
      return map.type === 'rnd' ? pickRandom(v) : v;
    }
    case 'int':
      switch (map.source) {
        case 'toupper':
          return key.toUpperCase();
        case 'tolower':
          return key.toLowerCase();
        case 'escape':
          return escapePath(key);
        case 'unescape':
          return unescapeUrl(key);
      }
      return null;
    default:
      return null;
  }
}
