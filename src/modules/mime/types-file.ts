/**
 * The TypesConfig file (mime.types) as mod_mime reads it at startup: one media type per line
 * followed by its extensions, `#` comments; a later line wins for an extension.
 */
import fs from 'node:fs';
import { aprStatus } from '../../util/fs.js';

export type TypesTable = ReadonlyMap<string, string>;

function parseTypes(text: string): TypesTable {
  const table = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length < 2) continue;
    const type = words[0].toLowerCase();
    for (const ext of words.slice(1)) table.set(ext.toLowerCase(), type);
  }
  return table;
}

/** Reads a TypesConfig file, or httpd's start-up error (AH01597) when it cannot be opened. */
export function readTypesFile(file: string): { ok: true; table: TypesTable } | { ok: false; message: string } {
  try {
    return { ok: true, table: parseTypes(fs.readFileSync(file, 'latin1')) };
  } catch (e) {
    return { ok: false, message: `${aprStatus(e)}: AH01597: could not open mime types config file ${file}.` };
  }
}
