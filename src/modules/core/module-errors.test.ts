/**
 * Checks of the other base modules (mod_reqtimeout, mod_expires, mod_deflate, mod_autoindex,
 * mod_negotiation, mod_filter, mod_mime) compared with what apache2 -t (2.4.71) printed.
 */
import { bodyLine, cleanup, loadSnippet } from './testing.js';

const MODS = ['reqtimeout', 'expires', 'deflate', 'autoindex', 'negotiation', 'filter', 'mime'];

const errors: [string, string][] = [
  ['RequestReadTimeout bogus', "Invalid RequestReadTimeout parameter. Parameter must be in the form 'key=value'"],
  ['RequestReadTimeout header=abc', "RequestReadTimeout: header=abc: Value 'abc' not numerical"],
  ['RequestReadTimeout header=20-10', 'RequestReadTimeout: header=20-10: Must set MinRate option if using timeout range'],
  ['RequestReadTimeout header=-1', 'RequestReadTimeout: header=-1: Must set MinRate option if using timeout range'],
  ['RequestReadTimeout header=20-40,MinRate=0', 'RequestReadTimeout: header=20-40,MinRate=0: Minimum data rate must be larger than 0'],
  ['RequestReadTimeout handshake=5 foo=1', 'RequestReadTimeout: foo=1: Unknown RequestReadTimeout parameter'],
  ['RequestReadTimeout header=20,foo=1', "RequestReadTimeout: header=20,foo=1: Cannot parse ',foo=1'"],
  ['RequestReadTimeout header=30-20,MinRate=500', 'RequestReadTimeout: header=30-20,MinRate=500: Maximum timeout must be larger than initial timeout'],
  ['RequestReadTimeout header=20-20,MinRate=1', 'RequestReadTimeout: header=20-20,MinRate=1: Maximum timeout must be larger than initial timeout'],
  ['RequestReadTimeout header=20,MinRate=abc', "RequestReadTimeout: header=20,MinRate=abc: Value 'abc' not numerical"],
  ['RequestReadTimeout header=', "RequestReadTimeout: header=: Value '' not numerical"],
  ['RequestReadTimeout header=20x', "RequestReadTimeout: header=20x: Cannot parse 'x'"],
  ['ExpiresDefault bogus', "'ExpiresDefault bogus': bad expires code, unrecognised <base> 'bogus'"],
  ['ExpiresDefault "access plus 1 bogus"', "'ExpiresDefault access plus 1 bogus': bad expires code, unrecognised <type>'bogus'"],
  ['ExpiresDefault X3600', "'ExpiresDefault X3600': bad expires code, unrecognised <base> 'X3600'"],
  ['ExpiresByType text/html bogus', "'ExpiresByType text/html bogus': bad expires code, unrecognised <base> 'bogus'"],
  ['ExpiresDefault "access plus x"', "'ExpiresDefault access plus x': bad expires code, numeric value expected <num> 'x'"],
  ['ExpiresDefault "access plus 1"', "'ExpiresDefault access plus 1': bad expires code, missing <type>"],
  ['ExpiresDefault "nix plus 1 m"', "'ExpiresDefault nix plus 1 m': bad expires code, unrecognised <type>'m'"],
  ['ExpiresActive maybe', 'ExpiresActive must be On or Off'],
  ['DeflateCompressionLevel 10', 'Compression Level must be between 1 and 9'],
  ['DeflateCompressionLevel abc', 'Compression Level must be between 1 and 9'],
  ['DeflateMemLevel 0', 'DeflateMemLevel must be between 1 and 9'],
  ['DeflateWindowSize 20', 'DeflateWindowSize must be between 1 and 15'],
  ['DeflateBufferSize 0', 'DeflateBufferSize should be positive'],
  ['DeflateAlterEtag bogus', "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and 'Remove'"],
  ['DeflateInflateLimitRequestBody -1', 'DeflateInflateLimitRequestBody requires a non-negative integer.'],
  ['DeflateInflateLimitRequestBody 5x', 'DeflateInflateLimitRequestBody requires a non-negative integer.'],
  ['DeflateInflateRatioLimit 0', 'DeflateInflateRatioLimit must be positive'],
  ['DeflateInflateRatioBurst 0', 'DeflateInflateRatioBurst must be positive'],
  ['DeflateFilterNote x y', 'Unknown note type x'],
  ['IndexOptions Bogus', 'Invalid directory indexing option'],
  ['IndexOptions +Bogus', 'Invalid directory indexing option'],
  ['IndexOptions IconHeight IconWidth=5 AddAltClass Charset', 'Invalid directory indexing option'],
  ['IndexOptions NameWidth', "NameWidth with no value may only appear as '-NameWidth'"],
  ['IndexOptions -NameWidth=5', "Cannot combine '-' with NameWidth=n"],
  ['IndexOrderDefault Bogus Name', "First keyword must be 'Ascending' or 'Descending'"],
  ['IndexOrderDefault Ascending Bogus', "Second keyword must be 'Name', 'Date', 'Size', or 'Description'"],
  ['ForceLanguagePriority Bogus', 'Invalid ForceLanguagePriority option Bogus'],
  ['ForceLanguagePriority None Prefer', 'Cannot combine ForceLanguagePriority options None and Prefer'],
  ['ForceLanguagePriority Prefer None', 'Cannot combine ForceLanguagePriority options with None'],
  ['AddOutputFilterByType DEFLATE', 'AddOutputFilterByType requires at least two arguments'],
  ['FancyIndexing on', 'The FancyIndexing directive is no longer supported. Use IndexOptions FancyIndexing.'],
];

test.each(errors.map(([body, message]) => ({ body, message })))('$body', ({ body, message }) => {
  const opts = { modules: MODS };
  const s = loadSnippet(body, opts);
  expect(s.errorText).toBe(`AH00526: Syntax error on line ${bodyLine(opts)} of ${s.file}:\n${message}`);
  cleanup(s);
});

test('forms apache2 -t accepts', () => {
  const s = loadSnippet(
    [
      'RequestReadTimeout header=20-40,MinRate=500 body=10,minrate=500 handshake=0',
      'ExpiresActive On',
      'ExpiresDefault "access plus 1 month"',
      'ExpiresDefault "access 1 month"',
      'ExpiresDefault A3600',
      'ExpiresDefault "Access plus 1 bogus"',
      'ExpiresByType text/html "modification 2 mi 3 mo 1 y 1 w 1 d 1 h 1 s"',
      'DeflateCompressionLevel 9',
      'DeflateFilterNote Ratio r',
      'IndexOptions FancyIndexing +HTMLTable VersionSort Charset=utf-8 Type=text/html XHTML NameWidth=* -DescriptionWidth',
      'IndexOptions None +SuppressIcon',
      'ForceLanguagePriority Prefer Fallback',
      'LanguagePriority en fr',
      'AddOutputFilterByType DEFLATE text/html text/plain',
    ].join('\n'),
    { modules: MODS },
  );
  expect(s.errorText).toBeUndefined();
  cleanup(s);
});
