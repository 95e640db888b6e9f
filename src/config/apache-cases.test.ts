/**
 * Cases run through real `apache2 -t` (2.4.71, Debian) with ServerRoot ROOT; the expected text
 * is what Apache printed on stderr, with its program name replaced by featherd's and the
 * temporary ServerRoot replaced by ROOT. Every config starts with the same three lines Apache
 * was given (LoadModule of an MPM, ErrorLog, ServerName), so line numbers match.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatConfigError, loadConfig } from './load.js';
import { testRegistry } from './test-registry.js';

const BASE = 'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so\nErrorLog /tmp/error.log\nServerName x\n';

interface Case {
  name: string;
  conf: string;
  files?: Record<string, string>;
  pre?: string[];
  post?: string[];
  /** Apache's output, or 'Syntax OK'. */
  expect: string;
  /** AH00111 names Apache warned about. */
  warned?: string[];
}

const cases: Case[] = [
  { name: 'true <IfModule> body may run to the end of the file', conf: '<IfModule mod_so.c>\n<Location />\n', expect: 'Syntax OK' },
  { name: 'lines in a false conditional are not expanded', conf: '<IfModule nonexist.c>\nFoo ${UNDEF_X}\n</IfModule>\n', expect: 'Syntax OK', warned: [] },
  {
    name: 'false conditional: mismatched nested end tag, reported at the conditional',
    conf: '<IfModule nonexist.c>\n<Location />\n</Directory>\n</IfModule>\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Expected </Location> but saw </Directory>',
  },
  {
    name: 'false conditional: end of file',
    conf: '<IfModule nonexist.c>\n<Location />\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Expected </Location> before end of configuration',
  },
  {
    name: 'false conditional: end tag with a space loses its last character',
    conf: '<IfModule nonexist.c>\n</IfModule foo>\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Expected </IfModule> but saw </IfModul>',
  },
  {
    name: 'false conditional: nested `</Foo >`',
    conf: '<IfModule nonexist.c>\n<Foo>\n</Foo >\n</IfModule>\nBogus\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Expected </Foo> but saw </Fo>',
  },
  {
    name: 'true conditional ends only at exactly </IfModule>',
    conf: '<IfModule mod_so.c>\nServerName x\n</IfModule >\n',
    expect: 'featherd: Syntax error on line 6 of ROOT/httpd.conf: </IfModule without matching <IfModule section',
  },
  {
    name: 'true conditional body cannot close an outer section',
    conf: '<Location />\n<IfModule mod_so.c>\n</Location>\n',
    expect: 'featherd: Syntax error on line 6 of ROOT/httpd.conf: </Location> without matching <Location> section',
  },
  { name: 'continuation at the end of the file', conf: 'ServerAdmin a\\\nb\\\n', expect: 'Syntax OK' },
  { name: 'backslash on the last line without newline', conf: 'ServerAdmin x\\', expect: 'Syntax OK' },
  {
    name: 'backslashes are doubled by the logger',
    conf: 'Include /nonexist\\x\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Could not open configuration file /nonexist\\\\x: No such file or directory',
  },
  {
    name: 'a tab is printed as \\t',
    conf: 'Include "/a\tb"\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Could not open configuration file /a\\tb: No such file or directory',
  },
  {
    name: 'quotes are printed as they are',
    conf: 'Include \'/a"b\'\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Could not open configuration file /a"b: No such file or directory',
  },
  {
    name: 'non-ASCII bytes are printed as \\xhh',
    conf: 'Include /tmp/\u00e9\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Could not open configuration file /tmp/\\xc3\\xa9: No such file or directory',
  },
  {
    name: 'a UTF-8 byte order mark is part of the first word',
    conf: '',
    files: { 'bom.conf': '\uFEFFServerName x\n' },
    post: ['Include bom.conf'],
    expect: "AH00526: Syntax error on line 1 of ROOT/bom.conf:\nInvalid command '\\xef\\xbb\\xbfServerName', perhaps misspelled or defined by a module not included in the server configuration",
  },
  {
    name: 'Define names are case-insensitive for ${}, IfDefine is not',
    conf: 'Define Foo bar\nServerAdmin ${FOO}\n<IfDefine FOO>\nBogus\n</IfDefine>\n',
    expect: 'Syntax OK',
    warned: [],
  },
  {
    name: 'Define without value: ${} falls back to the environment',
    conf: 'Define FD_NOVALUE_X\nServerAdmin ${FD_NOVALUE_X}\n',
    expect: 'Syntax OK',
    warned: ['FD_NOVALUE_X'],
  },
  {
    name: 'an empty quoted word counts as missing',
    conf: 'ServerAdmin "" \n',
    expect: 'AH00526: Syntax error on line 4 of ROOT/httpd.conf:\nServerAdmin takes one argument, The email address of the server administrator',
  },
  { name: 'a line whose first word is empty is ignored', conf: '"" foo\nServerAdmin x\n', expect: 'Syntax OK' },
  {
    name: 'stray end tag in a true conditional',
    conf: '<IfModule mod_so.c>\n</Location>\n</IfModule>\n',
    expect: 'featherd: Syntax error on line 5 of ROOT/httpd.conf: </Location> without matching <Location> section',
  },
  {
    name: 'included file must be balanced',
    conf: 'Include conf.d/*.conf\n',
    files: { 'conf.d/x.conf': '<Location /a>\n' },
    expect:
      'featherd: Syntax error on line 4 of ROOT/httpd.conf: Syntax error on line 1 of ROOT/conf.d/x.conf: ROOT/conf.d/x.conf:1: <Location> was not closed.',
  },
  {
    name: 'wildcard without matches',
    conf: 'Include conf.d/*.nomatch\n',
    files: { 'conf.d/x.conf': '' },
    expect: "featherd: Syntax error on line 4 of ROOT/httpd.conf: Include/IncludeOptional: No matches for the wildcard '*.nomatch' in 'ROOT/conf.d', failing",
  },
  {
    name: 'wildcard in a missing directory',
    conf: 'Include nodir/*.conf\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Include/IncludeOptional: Could not open directory ROOT/nodir: No such file or directory',
  },
  {
    name: 'IncludeOptional tolerates all of that',
    conf: 'IncludeOptional nodir/*.conf\nIncludeOptional conf.d/*.nomatch\nIncludeOptional /nonexist.conf\n',
    files: { 'conf.d/x.conf': '' },
    expect: 'Syntax OK',
  },
  {
    name: 'Include without argument',
    conf: 'Include\n',
    expect:
      'featherd: Syntax error on line 4 of ROOT/httpd.conf: Include takes one argument, Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file',
  },
  {
    name: '"a"b is two words',
    conf: 'Include "a"b\n',
    expect:
      'featherd: Syntax error on line 4 of ROOT/httpd.conf: Include takes one argument, Name(s) of the config file(s) to be included; fails if the wildcard does not match at least one file',
  },
  {
    name: 'LoadModule of a built-in module',
    conf: 'LoadModule version_module x.so\n',
    expect: "featherd: Syntax error on line 4 of ROOT/httpd.conf: module version_module is built-in and can't be loaded",
  },
  { name: 'LoadModule twice is only a warning', conf: 'LoadModule mpm_event_module x.so\n', expect: 'Syntax OK' },
  { name: "Define name with ':'", conf: 'Define a:b\n', expect: "featherd: Syntax error on line 4 of ROOT/httpd.conf: Variable name must not contain ':'" },
  { name: "UnDefine name with ':'", conf: 'UnDefine a:b\n', expect: "featherd: Syntax error on line 4 of ROOT/httpd.conf: Variable name must not contain ':'" },
  {
    name: 'Define without argument',
    conf: 'Define\n',
    expect:
      'featherd: Syntax error on line 4 of ROOT/httpd.conf: Define takes 1-2 arguments, Define a variable, optionally to a value.  Same as passing -D to the command line.',
  },
  { name: 'ServerRoot must exist', conf: 'ServerRoot /nonexist\n', expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: ServerRoot must be a valid directory' },
  {
    name: 'DefaultRuntimeDir must exist',
    conf: 'DefaultRuntimeDir /nonexist\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: DefaultRuntimeDir must be a valid directory, absolute or relative to ServerRoot',
  },
  {
    name: 'IfVersion true body is read',
    conf: '<IfVersion >= 2.4>\nBogus\n</IfVersion>\n',
    expect:
      "AH00526: Syntax error on line 5 of ROOT/httpd.conf:\nInvalid command 'Bogus', perhaps misspelled or defined by a module not included in the server configuration",
  },
  { name: 'IfVersion bad operator', conf: '<IfVersion foo 2.4>\n</IfVersion>\n', expect: "featherd: Syntax error on line 4 of ROOT/httpd.conf: unrecognized operator 'foo'" },
  {
    name: 'IfVersion bad version',
    conf: '<IfVersion 2.x>\n</IfVersion>\n',
    expect:
      'featherd: Syntax error on line 4 of ROOT/httpd.conf: Version appears to be invalid. It must have the format major[.minor[.patch]] where major, minor and patch are numbers.',
  },
  {
    name: 'IfVersion regex without closing /',
    conf: '<IfVersion = /2.4>\n</IfVersion>\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: Missing delimiting / of regular expression.',
  },
  {
    name: 'IfVersion without argument',
    conf: '<IfVersion>\n</IfVersion>\n',
    expect:
      'featherd: Syntax error on line 4 of ROOT/httpd.conf: Version appears to be invalid. It must have the format major[.minor[.patch]] where major, minor and patch are numbers.',
  },
  {
    name: 'IfModule without argument',
    conf: '<IfModule>\n</IfModule>\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: <IfModule> directive requires additional arguments',
  },
  {
    name: "IfModule without '>'",
    conf: '<IfModule mod_so.c\n</IfModule>\n',
    expect: "featherd: Syntax error on line 4 of ROOT/httpd.conf: <IfModule> directive missing closing '>'",
  },
  {
    name: '-C conditional left open',
    conf: 'ServerAdmin x\n',
    pre: ['<IfDefine X>'],
    expect: 'featherd: Syntax error in -C/-c directive: Expected </IfDefine> before end of configuration',
  },
  {
    name: '-c unknown directive',
    conf: 'ServerAdmin x\n',
    post: ['Bogus'],
    expect:
      "AH00526: Syntax error on line 1 of -c/-C directives:\nInvalid command 'Bogus', perhaps misspelled or defined by a module not included in the server configuration",
  },
  {
    name: '-C Include of a missing file',
    conf: 'ServerAdmin x\n',
    pre: ['Include /nonexist'],
    expect: 'featherd: Syntax error in -C/-c directive: Could not open configuration file /nonexist: No such file or directory',
  },
  {
    name: 'mismatched end tag uses the canonical name',
    conf: '<location />\n</directory>\n',
    expect: 'featherd: Syntax error on line 5 of ROOT/httpd.conf: Expected </Location> but saw </directory>',
  },
  {
    name: 'mismatched end tag of an unknown section',
    conf: '<Foo />\n</Bar>\n',
    expect: 'featherd: Syntax error on line 5 of ROOT/httpd.conf: Expected </Foo> but saw </Bar>',
  },
  {
    name: 'end tag with more words',
    conf: '<Location />\n</Location foo>\n',
    expect: "featherd: Syntax error on line 5 of ROOT/httpd.conf: </Location> directive missing closing '>'",
  },
  { name: 'stray end tag', conf: '</Location>\n', expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: </Location> without matching <Location> section' },
  {
    name: 'stray end tag with a space',
    conf: '</IfModule >\n',
    expect: 'featherd: Syntax error on line 4 of ROOT/httpd.conf: </IfModule without matching <IfModule section',
  },
  { name: 'a comment line ending in \\ swallows the next line', conf: '# comment \\\nBogus7\n', expect: 'Syntax OK' },
  {
    name: 'backslash-space is not a continuation',
    conf: 'Bogus8 \\ \nServerAdmin x\n',
    expect:
      "AH00526: Syntax error on line 4 of ROOT/httpd.conf:\nInvalid command 'Bogus8', perhaps misspelled or defined by a module not included in the server configuration",
  },
  {
    name: 'continued line is reported at its last physical line',
    conf: 'ServerAdmin a \\\n  b \\\n  c\n',
    expect: 'AH00526: Syntax error on line 6 of ROOT/httpd.conf:\nServerAdmin takes one argument, The email address of the server administrator',
  },
  {
    name: 'a value with spaces is split again after expansion',
    conf: 'Define V "x y"\nServerAdmin ${V}\n',
    expect: 'AH00526: Syntax error on line 5 of ROOT/httpd.conf:\nServerAdmin takes one argument, The email address of the server administrator',
  },
  {
    name: 'expansion is not recursive',
    conf: 'Define A ${B}\nServerAdmin ${A} z\n',
    expect: 'AH00526: Syntax error on line 5 of ROOT/httpd.conf:\nServerAdmin takes one argument, The email address of the server administrator',
    warned: ['B'],
  },
  {
    name: 'two sections left open',
    conf: '<Location />\n<Directory />\n',
    expect:
      'featherd: Syntax error on line 4 of ROOT/httpd.conf: ROOT/httpd.conf:5: <Directory> was not closed.\\nROOT/httpd.conf:4: <Location> was not closed.',
  },
  {
    name: 'included file closing a section of the including file',
    conf: '<Location />\n  <Directory />\n  </Directory>\n  Include conf.d/*.conf\n</Location>\n',
    files: { 'conf.d/x.conf': 'ServerAdmin x\n</Location>\n' },
    expect:
      'featherd: Syntax error on line 7 of ROOT/httpd.conf: Syntax error on line 2 of ROOT/conf.d/x.conf: </Location> without matching <Location> section',
  },
];

function withRoot<T>(fn: (root: string) => T): T {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-apache-'));
  try {
    return fn(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

describe('behaviour observed with apache2 -t', () => {
  for (const c of cases) {
    test(c.name, () => {
      withRoot((root) => {
        for (const [name, text] of Object.entries(c.files ?? {})) {
          fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
          fs.writeFileSync(path.join(root, name), text);
        }
        fs.writeFileSync(path.join(root, 'httpd.conf'), BASE + c.conf);
        const r = loadConfig({
          file: 'httpd.conf',
          serverRoot: root,
          registry: testRegistry(),
          preDirectives: c.pre,
          postDirectives: c.post,
          env: {},
        });
        const got = r.error ? formatConfigError(r.error).split(root).join('ROOT') : 'Syntax OK';
        expect(got).toBe(c.expect);
        if (c.warned) {
          const names = r.diagnostics.filter((d) => d.code === 'AH00111').map((d) => d.message);
          expect(names).toEqual(c.warned.map((n) => `Config variable \${${n}} is not defined`));
        }
      });
    });
  }

  test('recursive Include stops at depth 128 with one wrapper per level', () => {
    withRoot((root) => {
      fs.mkdirSync(path.join(root, 'rec'));
      fs.writeFileSync(path.join(root, 'rec/a.conf'), 'Include rec/a.conf\n');
      fs.writeFileSync(path.join(root, 'httpd.conf'), 'LoadModule mpm_event_module x.so\nErrorLog /tmp/e.log\nInclude rec/a.conf\n');
      const r = loadConfig({ file: 'httpd.conf', serverRoot: root, registry: testRegistry(), env: {} });
      expect(r.error).toBeDefined();
      const text = formatConfigError(r.error!);
      // Apache printed 129 "Syntax error on line" wrappers: the main file and 128 levels.
      expect(text.split('Syntax error on line').length - 1).toBe(129);
      expect(text.startsWith(`featherd: Syntax error on line 3 of ${root}/httpd.conf: Syntax error on line 1 of ${root}/rec/a.conf: `)).toBe(true);
      expect(text.endsWith(': Exceeded maximum include depth of 128, There appears to be a recursion.')).toBe(true);
    });
  });

  test('LoadModule of a loaded module warns AH01574', () => {
    withRoot((root) => {
      fs.writeFileSync(path.join(root, 'httpd.conf'), BASE + 'LoadModule mpm_event_module x.so\n');
      const r = loadConfig({ file: 'httpd.conf', serverRoot: root, registry: testRegistry(), env: {} });
      expect(r.error).toBeUndefined();
      expect(r.diagnostics.map((d) => [d.code, d.message])).toContainEqual(['AH01574', 'module mpm_event_module is already loaded, skipping']);
    });
  });
});

describe('mod_macro, observed with apache2 -t', () => {
  const MACRO_BASE = 'LoadModule mpm_event_module x.so\nLoadModule macro_module x.so\nErrorLog /tmp/e.log\nServerName x\n';
  const macroCases: [string, string, string][] = [
    [
      'walk error inside a macro body',
      '<Macro M $a $b>\n  ServerAdmin $a\n  Bogus $b\n</Macro>\nUse M x y\n',
      'AH00526: Syntax error on line 2 of macro \'m\' (defined on line 5 of "ROOT/httpd.conf") used on line 9 of "ROOT/httpd.conf":\nInvalid command \'Bogus\', perhaps misspelled or defined by a module not included in the server configuration',
    ],
    ['Use before any macro', 'Use M x\n', 'featherd: Syntax error on line 5 of ROOT/httpd.conf: no macro defined before Use'],
    [
      'Use with the wrong number of arguments',
      '<Macro M $a>\nServerAdmin $a\n</Macro>\nUse M\n',
      'featherd: Syntax error on line 8 of ROOT/httpd.conf: macro \'m\' (defined on line 5 of "ROOT/httpd.conf") used with 0 arguments instead of 1',
    ],
    ['Use after UndefMacro', '<Macro M $a>\nServerAdmin $a\n</Macro>\nUse M x\nUndefMacro M\nUse M y\n', "featherd: Syntax error on line 10 of ROOT/httpd.conf: macro 'm' undefined"],
  ];
  for (const [name, conf, expected] of macroCases) {
    test(name, () => {
      withRoot((root) => {
        fs.writeFileSync(path.join(root, 'httpd.conf'), MACRO_BASE + conf);
        const r = loadConfig({ file: 'httpd.conf', serverRoot: root, registry: testRegistry(), env: {} });
        expect(r.error && formatConfigError(r.error).split(root).join('ROOT')).toBe(expected);
      });
    });
  }

  test('Use substitutes arguments and reads the body in place', () => {
    withRoot((root) => {
      fs.writeFileSync(path.join(root, 'httpd.conf'), MACRO_BASE + '<Macro VHost $name $port>\n<Location /$name>\n</Location>\nServerAdmin $name@$port\n</Macro>\nUse VHost a 80\nUse vhost b 81\n');
      const r = loadConfig({ file: 'httpd.conf', serverRoot: root, registry: testRegistry(), env: {} });
      expect(r.error).toBeUndefined();
      expect(r.tree!.nodes.slice(-4).map((n) => [n.name, n.args])).toEqual([
        ['Location', ['/a']],
        ['ServerAdmin', ['a@80']],
        ['Location', ['/b']],
        ['ServerAdmin', ['b@81']],
      ]);
    });
  });
});
