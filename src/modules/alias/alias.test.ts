import { aliasDirOf, aliasServerOf } from './module.js';
import { coreSections } from '../core/config.js';
import { bodyLine, cleanup, loadSnippet } from '../core/testing.js';

/** Messages apache2 -t (2.4.71) printed for these lines with mod_alias loaded. */
const errors: [string, number, string][] = [
  ['Redirect /a', 1, 'URL to redirect to is missing'],
  ['Redirect 301 /a', 1, 'URL to redirect to is missing'],
  ['Redirect 303 /a', 1, 'URL to redirect to is missing'],
  ['Redirect 999 /a http://x/', 1, 'Redirect URL not valid for this status'],
  ['Redirect 410 /a http://x/', 1, 'Redirect URL not valid for this status'],
  ['Redirect gone /a http://x', 1, 'Redirect URL not valid for this status'],
  ['Redirect 200 /a http://x', 1, 'Redirect URL not valid for this status'],
  ['Redirect bogus /a http://x', 1, 'Redirect: invalid first argument (of three)'],
  ['Redirect /a /b /c', 1, 'Redirect: invalid first argument (of three)'],
  ['Redirect /a b', 1, 'Redirect to non-URL'],
  ['RedirectTemp /a b', 1, 'Redirect to non-URL'],
  ['RedirectMatch (', 1, 'RedirectMatch takes two or three arguments, an optional status, then a regular expression and destination URL'],
  ['RedirectMatch ( http://x', 1, 'Regular expression could not be compiled.'],
  ['RedirectMatch 301 ^/a', 1, 'URL to redirect to is missing'],
  ['Alias /a', 1, 'Alias must have two arguments when used globally'],
  ['Alias /a /tmp /x', 1, 'Alias takes 1-2 arguments, a fakename and a realname, or a realname in a Location'],
  ['Alias "" /tmp', 1, 'Alias takes 1-2 arguments, a fakename and a realname, or a realname in a Location'],
  ['<Location /a>\nAlias /b /tmp\n</Location>', 2, 'Alias cannot occur within directory context'],
  ['<Directory /a>\nAlias /tmp\n</Directory>', 2, 'Alias cannot occur within <Directory> section'],
  ['<If "true">\nAlias /tmp\n</If>', 2, 'Alias cannot occur within <If> section'],
  ['<If "true">\nAlias /x /tmp\n</If>', 2, 'Alias cannot occur within directory context'],
  ['<Location /a>\nAlias "%{X}"\n</Location>', 2, "Cannot parse alias expression '%{X}': Variable 'X' does not exist"],
  ['<Location /a>\nRedirect "%{X}"\n</Location>', 2, "Cannot parse redirect expression '%{X}': Variable 'X' does not exist"],
  ['<Location /a>\nRedirect 301 "%{X}"\n</Location>', 2, "Cannot parse redirect expression '%{X}': Variable 'X' does not exist"],
  ['AliasMatch ( /tmp', 1, 'Regular expression could not be compiled.'],
  ['ScriptAliasMatch ( /tmp', 1, 'Regular expression could not be compiled.'],
];

test.each(errors.map(([body, line, message]) => ({ body, line, message })))('$body', ({ body, line, message }) => {
  const opts = { modules: ['alias'] };
  const s = loadSnippet(body, opts);
  expect(s.errorText).toBe(`AH00526: Syntax error on line ${bodyLine(opts) + line - 1} of ${s.file}:\n${message}`);
  cleanup(s);
});

test('accepted forms, stored per server and per location', () => {
  const s = loadSnippet(
    [
      'Redirect 301 /a /b',
      'Redirect 410 /gone',
      'Redirect seeother /c http://x/',
      'RedirectMatch 410 ^/old',
      'RedirectPermanent /p https://example.com/p',
      'Alias /static /srv/static',
      'AliasMatch "^/img/(.*)$" "/srv/img/$1"',
      '<Location /x>',
      '  Redirect http://y/',
      '</Location>',
      '<LocationMatch /y>',
      '  Alias /srv/y',
      '  Redirect 301 http://z/',
      '</LocationMatch>',
    ].join('\n'),
    { modules: ['alias'] },
  );
  expect(s.errorText).toBeUndefined();
  const st = s.result.state!;
  const sc = aliasServerOf(st.mainServer)!;
  expect(sc.redirects.map((r) => [r.status, r.fake, r.url])).toEqual([
    [301, '/a', '/b'],
    [410, '/gone', undefined],
    [303, '/c', 'http://x/'],
    [410, '^/old', undefined],
    [301, '/p', 'https://example.com/p'],
  ]);
  expect(sc.redirects[3].regex!.test('/older')).toBe(true);
  expect(sc.aliases.map((a) => [a.fake, a.real, !!a.regex, a.script])).toEqual([
    ['/static', '/srv/static', false, false],
    ['^/img/(.*)$', '/srv/img/$1', true, false],
  ]);
  const [x, y] = coreSections(st.mainServer);
  expect(aliasDirOf(x.dirConfigs)!.redirects).toEqual([expect.objectContaining({ status: 302, url: 'http://y/' })]);
  expect(aliasDirOf(x.dirConfigs)!.redirects[0].fake).toBeUndefined();
  expect(aliasDirOf(y.dirConfigs)!.alias).toMatchObject({ real: '/srv/y', script: false });
  expect(aliasDirOf(y.dirConfigs)!.redirects[0]).toMatchObject({ status: 301, url: 'http://z/' });
  cleanup(s);
});

test('an Alias hidden by an earlier one is warning AH00671', () => {
  const s = loadSnippet('Alias /a /srv/a\nAlias /a/b /srv/b', { modules: ['alias'] });
  expect(s.errorText).toBeUndefined();
  expect(s.result.diagnostics).toContainEqual(
    expect.objectContaining({
      code: 'AH00671',
      message: `The Alias directive in ${s.file} at line 4 will probably never match because it overlaps an earlier Alias.`,
    }),
  );
  cleanup(s);
});
