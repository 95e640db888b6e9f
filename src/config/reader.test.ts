import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ConfigNode, ConfigTree } from './ast.js';
import { readConfig, type ReadOptions } from './reader.js';
import { formatConfigError } from './load.js';
import { testRegistry } from './test-registry.js';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-reader-'));
});
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
}

function read(main: string, opts: Partial<ReadOptions> = {}) {
  write({ 'httpd.conf': main });
  return readConfig({ file: 'httpd.conf', serverRoot: root, registry: testRegistry(), env: {}, ...opts });
}

function tree(main: string, opts: Partial<ReadOptions> = {}): ConfigTree {
  const r = read(main, opts);
  if (!r.result.ok) throw new Error(formatConfigError(r.result.error));
  return r.result.value;
}

function names(nodes: ConfigNode[]): unknown[] {
  return nodes.map((n) => (n.kind === 'section' ? { [n.name]: names(n.children) } : `${n.name}${n.args.length ? ' ' + n.args.join('|') : ''}`));
}

describe('reader: tree', () => {
  test('lines read straight from the file and lines that went through ${} expansion give the same tree and errors', () => {
    const lines = [
      'ServerName a',
      '<VirtualHost *:80 [::1]:80>',
      '  ProxyPass "/x y" http://b/ retry=0',
      '  <Location />',
      '    Require all granted',
      '  </location>',
      '  <Directory>',
      '  </Directory>',
      '</VirtualHost>',
      'Foo>',
      '"Quoted Name" a \'b c\'',
      '<Files x',
      'ServerAlias a \\',
      '  b c',
      '</Files>',
    ];
    const plain = tree(lines.join('\n'));
    // ${E} is empty: the text after expansion is the same, read through the RawNodes.
    const expanded = tree(lines.map((l) => (l.endsWith('\\') ? l : `${l}\${E}`)).join('\n'), { env: { E: '' } });
    expect(names(plain.nodes).slice(-1)).toEqual([{ Files: ['ServerAlias a|b|c'] }]);
    expect(expanded).toEqual(plain);
    for (const bad of [['<Location />', 'A 1'], ['<Location />', '</Directory>'], ['<Location />', '</Location x>'], ['</Location>'], ['<A x>', '<B y>', '</B>']]) {
      const a = read(bad.join('\n'));
      const b = read(bad.map((l) => `${l}\${E}`).join('\n'), { env: { E: '' } });
      expect(a.result.ok).toBe(false);
      expect(b.result).toEqual(a.result);
    }
  });

  test('files are read as UTF-8, plain ASCII or not', () => {
    expect(names(tree('ServerAdmin a@b\nServerName h\u00e9\u4e2d.test\n').nodes)).toEqual(['ServerAdmin a@b', 'ServerName h\u00e9\u4e2d.test']);
    write({ 'bad.conf': '' });
    fs.writeFileSync(path.join(root, 'bad.conf'), Buffer.from([0x53, 0x65, 0x72, 0x76, 0x65, 0x72, 0x4e, 0x61, 0x6d, 0x65, 0x20, 0xff, 0x0a]));
    expect(names(tree('Include bad.conf\n').nodes)).toEqual(['ServerName \ufffd']);
  });

  test('directives and sections after expansion, args split into words', () => {
    const t = tree('Define P /app\n<Location "${P} x">\n  Foo "a b" ""\n</Location>\n');
    const loc = t.nodes[0];
    expect(loc).toMatchObject({ kind: 'section', name: 'Location', args: ['/app x'], rawArgs: '"/app x">', closed: true });
    expect(loc.kind === 'section' && loc.children[0]).toMatchObject({ name: 'Foo', args: ['a b', ''], rawArgs: '"a b" ""', loc: { file: `${root}/httpd.conf`, line: 3, column: 3 } });
    expect(loc.kind === 'section' && loc.endLoc.line).toBe(4);
    expect(t.mainFile).toBe(`${root}/httpd.conf`);
    expect(t.files).toEqual([`${root}/httpd.conf`]);
    expect(t.variables.get('P')).toBe('/app');
  });

  test('section args are the words before the last >, closed tells whether there was one', () => {
    const t = tree('<Foo a > b>\n</Foo>\n<Bar x\n</Bar>\n');
    expect(t.nodes[0]).toMatchObject({ args: ['a', '>', 'b'], closed: true });
    expect(t.nodes[1]).toMatchObject({ args: ['x'], closed: false, rawArgs: 'x' });
  });

  test('a non-section name ending in > loses it', () => {
    expect(names(tree('Foo> a\n').nodes)).toEqual(['Foo a']);
  });

  test('built-in modules are loaded first, then LoadModule', () => {
    const t = tree('LoadModule proxy_module modules/mod_proxy.so\n');
    expect(t.loadedModules).toEqual(['core_module', 'so_module', 'version_module', 'proxy_module']);
  });
});

describe('reader: variables', () => {
  test('Define wins over the environment; env is used otherwise', () => {
    const t = tree('Define A defined\nFoo ${A} ${B}\n', { env: { A: 'env', B: 'fromenv' } });
    expect(names(t.nodes)).toEqual(['Foo defined|fromenv']);
  });

  test('undefined names stay and warn, unless they contain ":"', () => {
    const r = read('Foo ${NOPE} ${a:b} $x ${\n');
    expect(r.result.ok && names(r.result.value.nodes)).toEqual(['Foo ${NOPE}|${a:b}|$x|${']);
    expect(r.diagnostics).toEqual([
      { severity: 'warning', rule: 'httpd', code: 'AH00111', message: 'Config variable ${NOPE} is not defined', loc: { file: `${root}/httpd.conf`, line: 1, column: 1 } },
    ]);
  });

  test('Define inside a section is global from that line on', () => {
    const t = tree('<Location />\nDefine X 1\n</Location>\nFoo ${X}\n');
    expect(names(t.nodes)).toEqual([{ Location: [] }, 'Foo 1']);
  });

  test('UnDefine removes the name and the value', () => {
    const t = tree('Define X 1\nUnDefine X\n<IfDefine X>\nA\n</IfDefine>\nFoo ${X}\n', { defines: ['Y'] });
    expect(names(t.nodes)).toEqual(['Foo ${X}']);
    expect(t.defines).toEqual(['Y']);
  });

  test('-D names are tested by IfDefine, case-sensitively', () => {
    const t = tree('<IfDefine SSL>\nA\n</IfDefine>\n<IfDefine ssl>\nB\n</IfDefine>\n<IfDefine !SSL>\nC\n</IfDefine>\n<IfDefine ! NOPE>\nD\n</IfDefine>\n', { defines: ['SSL'] });
    expect(names(t.nodes)).toEqual(['A', 'D']);
  });
});

describe('reader: conditionals', () => {
  test('IfModule by identifier or source file, case-sensitive, only after LoadModule', () => {
    const t = tree(
      '<IfModule proxy_module>\nA\n</IfModule>\nLoadModule proxy_module x.so\n<IfModule proxy_module>\nB\n</IfModule>\n<IfModule mod_proxy.c>\nC\n</IfModule>\n<IfModule Proxy_Module>\nD\n</IfModule>\n<IfModule mod_proxy>\nE\n</IfModule>\n<IfModule !mod_nope.c>\nF\n</IfModule>\n',
    );
    expect(names(t.nodes)).toEqual(['B', 'C', 'F']);
  });

  test('LoadModule of a module featherd does not provide: httpd\'s error when the file would not load, featherd\'s otherwise', () => {
    const message = (conf: string) => {
      const r = read(conf);
      return r.result.ok ? 'ok' : formatConfigError(r.result.error, 'featherd');
    };
    const at = `featherd: Syntax error on line 1 of ${root}/httpd.conf: `;
    expect(message('LoadModule foo_module x.so\n')).toBe(`${at}Cannot load x.so into server: x.so: cannot open shared object file: No such file or directory`);
    expect(message('LoadModule foo_module modules/mod_foo.so\n')).toBe(
      `${at}Cannot load modules/mod_foo.so into server: ${root}/modules/mod_foo.so: cannot open shared object file: No such file or directory`,
    );
    write({ 'modules/text.so': 'not a shared object\n'.repeat(5) });
    expect(message('LoadModule foo_module modules/text.so\n')).toBe(`${at}Cannot load modules/text.so into server: ${root}/modules/text.so: invalid ELF header`);
    // libc is an ELF object the loader finds by name: it has malloc but no foo_module.
    expect(message('LoadModule foo_module libc.so.6\n')).toMatch(
      new RegExp(`^${at}Can't locate API module structure \`foo_module' in file libc\\.so\\.6: /\\S+/libc\\.so\\.6: undefined symbol: foo_module$`),
    );
    expect(message('LoadModule malloc libc.so.6\n')).toBe(`${at}Cannot load libc.so.6 into server: featherd does not provide malloc and cannot load Apache modules`);
    // featherd's own modules are built in: their file is not opened.
    expect(message('LoadModule proxy_module /nonexistent/mod_proxy.so\n')).toBe('ok');
  });

  test('LoadFile: each file must be a shared object the loader would open', () => {
    const r = read('LoadFile libc.so.6 /nonexistent/libfoo.so\n');
    expect(!r.result.ok && r.result.error.message).toBe('Cannot load /nonexistent/libfoo.so into server: /nonexistent/libfoo.so: cannot open shared object file: No such file or directory');
    const t = tree('LoadFile libc.so.6\n');
    expect(t.loadFiles).toEqual([expect.stringMatching(/^\/\S+\/libc\.so\.6$/)]);
  });

  test('true bodies are spliced into the parent; false bodies are skipped unread', () => {
    const t = tree('<Location />\n<IfModule mod_so.c>\nA ${X}\n<IfModule nope.c>\nB ${Y}\nInclude /nonexist\n</IfModule>\n</IfModule>\n</Location>\n', { env: { X: '1' } });
    expect(names(t.nodes)).toEqual([{ Location: ['A 1'] }]);
  });

  test('IfFile, relative to ServerRoot', () => {
    write({ 'present.txt': '' });
    const t = tree('<IfFile present.txt>\nA\n</IfFile>\n<IfFile absent.txt>\nB\n</IfFile>\n<IfFile !absent.txt>\nC\n</IfFile>\n');
    expect(names(t.nodes)).toEqual(['A', 'C']);
  });

  test('IfDirective and IfSection look at loaded modules', () => {
    const t = tree(
      '<IfDirective ServerAdmin>\nA\n</IfDirective>\n<IfDirective ProxyRequests>\nB\n</IfDirective>\nLoadModule proxy_module x.so\n<IfDirective proxyrequests>\nC\n</IfDirective>\n<IfSection Location>\nD\n</IfSection>\n<IfSection Nope>\nE\n</IfSection>\n<IfDirective Include>\nF\n</IfDirective>\n',
    );
    expect(names(t.nodes)).toEqual(['A', 'C', 'D', 'F']);
  });

  test('IfVersion operators', () => {
    const body = (cond: string, v = '2.4.71') => names(tree(`<IfVersion ${cond}>\nYES\n</IfVersion>\n`, { serverVersion: v }).nodes).length === 1;
    expect(body('2.4')).toBe(false);
    expect(body('2.4.71')).toBe(true);
    expect(body('= 2.4.71')).toBe(true);
    expect(body('== 2.4.71')).toBe(true);
    expect(body('>= 2.4')).toBe(true);
    expect(body('> 2.4.71')).toBe(false);
    expect(body('< 2.5')).toBe(true);
    expect(body('<= 2.4.71')).toBe(true);
    expect(body('!< 2.5')).toBe(false);
    expect(body('~ ^2\\.4')).toBe(true);
    expect(body('= /^2\\.2/')).toBe(false);
    expect(body('2.4.71 ')).toBe(true);
    expect(body('>= "2.4" ')).toBe(true);
    expect(body('>= 2.2', '2.2.0')).toBe(true);
  });
});

describe('reader: Include', () => {
  test('includes: every file read with its Include chain, files without directives too', () => {
    write({ 'c/a.conf': '# nothing\n', 'c/b.conf': 'Include empty.conf\nB\n', 'empty.conf': '' });
    const t = tree('Include c/*.conf\nInclude empty.conf\n');
    const at = (file: string, line: number) => expect.objectContaining({ file: `${root}/${file}`, line });
    expect(t.includes).toEqual([
      { file: `${root}/httpd.conf`, includedFrom: [] },
      { file: `${root}/c/a.conf`, includedFrom: [at('httpd.conf', 1)] },
      { file: `${root}/c/b.conf`, includedFrom: [at('httpd.conf', 1)] },
      { file: `${root}/empty.conf`, includedFrom: [at('httpd.conf', 1), at('c/b.conf', 1)] },
      { file: `${root}/empty.conf`, includedFrom: [at('httpd.conf', 2)] },
    ]);
  });

  test('wildcards are sorted with strcmp, hidden files need a literal dot', () => {
    write({ 'c/b.conf': 'B\n', 'c/A.conf': 'A\n', 'c/a.conf': 'a\n', 'c/.h.conf': 'H\n', 'c/x.txt': 'X\n' });
    expect(names(tree('Include c/*.conf\n').nodes)).toEqual(['A', 'a', 'B']);
  });

  test('a directory is included whole and recursively, hidden files too', () => {
    write({ 'd/2.conf': 'Two\n', 'd/1/x': 'OneX\n', 'd/.hidden': 'Hidden\n' });
    const t = tree('Include d\n');
    expect(names(t.nodes)).toEqual(['Hidden', 'OneX', 'Two']);
    expect(t.files).toEqual([`${root}/httpd.conf`, `${root}/d/.hidden`, `${root}/d/1/x`, `${root}/d/2.conf`]);
  });

  test('wildcards in a middle component match directories only', () => {
    write({ 'sites/a/x.conf': 'A\n', 'sites/b/x.conf': 'B\n', 'sites/file/x.conf': 'F\n' });
    fs.writeFileSync(path.join(root, 'sites/c'), 'not a dir');
    expect(names(tree('Include sites/[ab]/*.conf\n').nodes)).toEqual(['A', 'B']);
  });

  test('included nodes go into the enclosing section and remember the Include', () => {
    write({ 'inc.conf': 'Inner\n' });
    const t = tree('<Location />\nInclude inc.conf\n</Location>\n');
    const loc = t.nodes[0];
    expect(names(t.nodes)).toEqual([{ Location: ['Inner'] }]);
    const inner = loc.kind === 'section' ? loc.children[0] : undefined;
    expect(inner?.loc).toEqual({ file: `${root}/inc.conf`, line: 1, column: 1 });
    expect(inner?.includedFrom).toEqual([{ file: `${root}/httpd.conf`, line: 2, column: 1 }]);
  });

  test('errors inside included files carry the Include chain', () => {
    write({ 'a.conf': 'Include b.conf\n', 'b.conf': '\n\n</X>\n' });
    const r = read('Foo\nInclude a.conf\n');
    expect(r.result.ok).toBe(false);
    if (r.result.ok) return;
    expect(r.result.error).toEqual({
      phase: 'build',
      message: '</X> without matching <X> section',
      loc: { file: `${root}/b.conf`, line: 3, column: 1 },
      includedFrom: [
        { file: `${root}/httpd.conf`, line: 2, column: 1 },
        { file: `${root}/a.conf`, line: 1, column: 1 },
      ],
    });
  });

  test('a Define in an included file is visible after the Include', () => {
    write({ 'vars.conf': 'Define PORT 8080\n' });
    expect(names(tree('Include vars.conf\nListen ${PORT}\n').nodes)).toEqual(['Listen 8080']);
  });

  test('ServerRoot changes where later relative paths point', () => {
    write({ 'other/inc.conf': 'FromOther\n' });
    const t = tree(`ServerRoot ${root}/other\nInclude inc.conf\n`);
    expect(names(t.nodes)).toEqual(['FromOther']);
    expect(t.serverRoot).toBe(`${root}/other`);
  });
});

describe('reader: errors', () => {
  test('main file missing', () => {
    const r = readConfig({ file: 'nope.conf', serverRoot: root, registry: testRegistry(), env: {} });
    expect(r.result.ok).toBe(false);
    if (!r.result.ok) {
      expect(r.result.error).toEqual({ phase: 'plain', message: `Could not open configuration file ${root}/nope.conf: No such file or directory` });
      expect(formatConfigError(r.result.error)).toBe(`featherd: Could not open configuration file ${root}/nope.conf: No such file or directory`);
    }
  });

  test('-C directives come before the main file and -c after', () => {
    const t = tree('Main\n', { preDirectives: ['Define X pre', 'Pre ${X}'], postDirectives: ['Post ${X}'] });
    expect(names(t.nodes)).toEqual(['Pre pre', 'Main', 'Post pre']);
    expect(t.nodes[0].loc).toEqual({ file: '-c/-C directives', line: 2, column: 1 });
  });

  test('an error raised in -C carries phase cmdline', () => {
    const r = read('Main\n', { preDirectives: ['</Location>'] });
    expect(!r.result.ok && r.result.error).toMatchObject({ phase: 'cmdline', message: '</Location> without matching <Location> section' });
  });

  test('every error carries a location', () => {
    for (const text of ['</A>\n', '<A>\n', '<A>\n</B>\n', 'Include /nonexist/x\n', 'Define a:b\n', '<IfModule>\n</IfModule>\n', 'LoadModule so_module x\n']) {
      const r = read(text);
      expect(r.result.ok).toBe(false);
      if (!r.result.ok) expect(r.result.error.loc?.file).toBe(`${root}/httpd.conf`);
    }
  });
});
