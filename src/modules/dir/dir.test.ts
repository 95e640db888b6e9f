import { dirOf } from './module.js';
import { mimeDirOf, mimeServerOf } from '../mime/module.js';
import { bodyLine, cleanup, loadSnippet } from '../core/testing.js';

test.each([
  ['DirectorySlash maybe', 'DirectorySlash must be On or Off'],
  ['DirectoryIndexRedirect maybe', 'DirectoryIndexRedirect ON|OFF|permanent|temp|seeother|3xx'],
  ['DirectoryIndexRedirect 200', 'DirectoryIndexRedirect only accepts values between 300 and 399'],
  ['AddType text/html', 'AddType requires at least two arguments, a mime type followed by one or more file extensions'],
  ['MultiviewsMatch bogus', "Unrecognized option 'bogus'"],
  ['ModMimeUsePathInfo On', 'ModMimeUsePathInfo not allowed here'],
])('%s (as apache2 -t)', (body, message) => {
  const opts = { modules: ['dir', 'mime'] };
  const s = loadSnippet(body, opts);
  expect(s.errorText).toBe(`AH00526: Syntax error on line ${bodyLine(opts)} of ${s.file}:\n${message}`);
  cleanup(s);
});

test('mod_dir and mod_mime records', () => {
  const s = loadSnippet(
    'DirectoryIndex index.html index.php\nDirectorySlash Off\nDirectoryIndexRedirect seeother\nFallbackResource /index.php\n' +
      'TypesConfig /etc/mime.types\nAddType Application/X-Foo .foo FOO\nAddType text/html .foo\nRemoveType .bar\nAddHandler cgi-script .cgi',
    { modules: ['dir', 'mime'] },
  );
  expect(s.errorText).toBeUndefined();
  const st = s.result.state!;
  expect(dirOf(st.mainServer.dirConfigs)).toEqual({ index: ['index.html', 'index.php'], slash: false, indexRedirect: 303, fallback: '/index.php' });
  const m = mimeDirOf(st.mainServer.dirConfigs)!;
  expect([...m.types]).toEqual([['foo', 'text/html']]);
  expect([...m.removed.get('types')!]).toEqual(['bar']);
  expect(m.handlers.get('cgi')).toBe('cgi-script');
  expect(mimeServerOf(st.mainServer)!.typesConfig).toBe('/etc/mime.types');
  const d = loadSnippet('DirectoryIndex disabled', { modules: ['dir'] });
  expect(dirOf(d.result.state!.mainServer.dirConfigs)!.index).toEqual([]);
  cleanup(s);
  cleanup(d);
});
