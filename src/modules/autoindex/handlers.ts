import type { Cmd } from '../../directives/types.js';

/** `FancyIndexing` is gone since httpd 2.0; its help string is the error. */
export function fancyIndexing() {
  return 'The FancyIndexing directive is no longer supported. Use IndexOptions FancyIndexing.';
}

const FLAGS = [
  'addaltclass', 'fancyindexing', 'foldersfirst', 'htmltable', 'iconsarelinks', 'ignorecase', 'ignoreclient',
  'scanhtmltitles', 'showforbidden', 'suppresscolumnsorting', 'suppressdescription', 'suppresshtmlpreamble',
  'suppressicon', 'suppresslastmodified', 'suppressrules', 'suppresssize', 'trackmodified', 'useolddateformat',
  'versionsort', 'xhtml', 'none', 'iconheight', 'iconwidth',
];

/** mod_autoindex.c add_opts: keyword checks. */
export function indexOptions(_cmd: Cmd, words: string[]) {
  for (const word of words) {
    const action = word[0] === '+' || word[0] === '-' ? word[0] : '';
    const w = (action ? word.slice(1) : word).toLowerCase();
    const eq = w.indexOf('=');
    const key = eq >= 0 ? w.slice(0, eq) : w;
    if (key === 'namewidth' || key === 'descriptionwidth') {
      const name = key === 'namewidth' ? 'NameWidth' : 'DescriptionWidth';
      if (action === '-' && eq >= 0) return `Cannot combine '-' with ${name}=n`;
      if (action !== '-' && eq < 0) return `${name} with no value may only appear as '-${name}'`;
      continue;
    }
    if (key === 'charset' || key === 'type') {
      if (eq >= 0) continue;
    } else if ((key === 'iconheight' || key === 'iconwidth') && eq >= 0) {
      continue;
    } else if (FLAGS.includes(key) && eq < 0) {
      continue;
    }
    return 'Invalid directory indexing option';
  }
  return undefined;
}

export function indexOrderDefault(_cmd: Cmd, [dir, key]: string[]) {
  if (!['ascending', 'descending'].includes(dir.toLowerCase())) return "First keyword must be 'Ascending' or 'Descending'";
  if (!['name', 'date', 'size', 'description'].includes(key.toLowerCase())) {
    return "Second keyword must be 'Name', 'Date', 'Size', or 'Description'";
  }
  return undefined;
}
