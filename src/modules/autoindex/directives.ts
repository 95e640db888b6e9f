import type { DirectiveEntry } from '../../directives/types.js';
import { OR_ALL, OR_INDEXES } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';
import { fancyIndexing, indexOptions, indexOrderDefault } from './handlers.js';

/** mod_autoindex.c */
export const autoindexDirectives: DirectiveEntry[] = [
  d('AddIcon', 'ITERATE2', OR_INDEXES, 'an icon URL followed by one or more filenames', 'ignored', undefined, NOTE.autoindex),
  d('AddIconByType', 'ITERATE2', OR_INDEXES, 'an icon URL followed by one or more MIME types', 'ignored', undefined, NOTE.autoindex),
  d('AddIconByEncoding', 'ITERATE2', OR_INDEXES, 'an icon URL followed by one or more content encodings', 'ignored', undefined, NOTE.autoindex),
  d('AddAlt', 'ITERATE2', OR_INDEXES, 'alternate descriptive text followed by one or more filenames', 'ignored', undefined, NOTE.autoindex),
  d('AddAltByType', 'ITERATE2', OR_INDEXES, 'alternate descriptive text followed by one or more MIME types', 'ignored', undefined, NOTE.autoindex),
  d('AddAltByEncoding', 'ITERATE2', OR_INDEXES, 'alternate descriptive text followed by one or more content encodings', 'ignored', undefined, NOTE.autoindex),
  d('IndexOptions', 'TAKE_ARGV', OR_INDEXES, 'one or more index options [+|-][]', 'ignored', indexOptions, NOTE.autoindex),
  d('IndexOrderDefault', 'TAKE2', OR_INDEXES, '{Ascending,Descending} {Name,Size,Description,Date}', 'ignored', indexOrderDefault, NOTE.autoindex),
  d('IndexIgnore', 'ITERATE', OR_INDEXES, 'one or more file extensions', 'ignored', undefined, NOTE.autoindex),
  d('IndexIgnoreReset', 'FLAG', OR_INDEXES, 'Reset the inherited list of IndexIgnore filenames', 'ignored', undefined, NOTE.autoindex),
  d('AddDescription', 'ITERATE2', OR_INDEXES, 'Descriptive text followed by one or more filenames', 'ignored', undefined, NOTE.autoindex),
  d('HeaderName', 'TAKE1', OR_INDEXES, 'a filename', 'ignored', undefined, NOTE.autoindex),
  d('ReadmeName', 'TAKE1', OR_INDEXES, 'a filename', 'ignored', undefined, NOTE.autoindex),
  d('FancyIndexing', 'RAW_ARGS', OR_ALL, 'The FancyIndexing directive is no longer supported. Use IndexOptions FancyIndexing.', 'ignored', fancyIndexing, NOTE.autoindex),
  d('DefaultIcon', 'TAKE1', OR_INDEXES, 'an icon URL', 'ignored', undefined, NOTE.autoindex),
  d('IndexStyleSheet', 'TAKE1', OR_INDEXES, 'URL to style sheet', 'ignored', undefined, NOTE.autoindex),
  d('IndexHeadInsert', 'TAKE1', OR_INDEXES, 'String to insert in HTML HEAD section', 'ignored', undefined, NOTE.autoindex),
];
