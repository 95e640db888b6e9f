import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { walkText } from '../authz_core/testing.js';
import { rewriteDirConfig, rewriteServerConfig } from './module.js';

const MODS = ['rewrite_module'];
const inDir = (body: string) => walkText(`<Directory /tmp>\n${body}\n</Directory>`, MODS).error;

describe('mod_rewrite', () => {
  test.each([
    ['RewriteRule ^/a', "RewriteRule: bad argument line '^/a'"],
    ['RewriteRule ^/a /b [L', 'RewriteRule: bad flag delimiters'],
    ['RewriteRule ^/a /b [X]', "RewriteRule: unknown flag 'X'"],
    ['RewriteRule ^/a /b [U]', "RewriteRule: unknown flag 'U'"],
    ['RewriteRule ^/a /b [R=999]', "RewriteRule: invalid HTTP response code '999' for flag 'R'"],
    ['RewriteRule ^/a /b [R=306]', "RewriteRule: invalid HTTP response code '306' for flag 'R'"],
    ['RewriteRule ^/a /b [BNE]', "RewriteRule: flag 'BNE' wants a list of characters (i.e. [BNE=...])"],
    ['RewriteRule ^(/a /b', "RewriteRule: cannot compile regular expression '^(/a'"],
    ['RewriteCond %{HTTP_HOST}', "RewriteCond: bad argument line '%{HTTP_HOST}'"],
    ['RewriteCond %{HTTP_HOST} ^x [X]', "RewriteCond: unknown flag 'X'"],
    ['RewriteCond %{HTTP_HOST} ^x NC', 'RewriteCond: bad flag delimiters'],
    ['RewriteCond %{HTTP_HOST} ^(x', "RewriteCond: cannot compile regular expression '^(x'"],
    ['RewriteCond expr ""', 'RewriteCond: cannot compile expression "" syntax error, unexpected $end'],
    ['RewriteOptions foo', "RewriteOptions: unknown option 'foo'"],
    ['RewriteBase x', 'RewriteBase: argument is not a valid URL'],
    ['RewriteEngine maybe', 'RewriteEngine must be On or Off'],
  ])('%s', (body, message) => expect(inDir(body)).toBe(message));

  test('accepts every documented flag', () => {
    expect(inDir('RewriteRule ^/a /b [R=301,P,QSA,QSD,QSL,NE,NC,NS,F,G,B,BNP,BCTLS,BNE=/,CO=a:b:c,E=x:y,T=text/html,H=foo,S=2,N=5,C,PT,L,END,DPI,UnsafeAllow3F,UnsafePrefixStat]')).toBeUndefined();
    expect(inDir('RewriteRule ^/a /b [Dxyz]')).toBeUndefined();
  });

  test('RewriteOptions that featherd does not apply are said to have no effect', () => {
    const r = walkText('RewriteOptions Inherit InheritDown MergeBase AllowNoSlash', MODS);
    expect(r.error).toBeUndefined();
    const said = r.state.diagnostics.filter((d) => d.rule === 'not-honoured').map((d) => d.message.split(' ')[1]);
    expect(said).toEqual(['InheritDown', 'AllowNoSlash']);
  });

  test('RewriteBase is per-directory only', () => {
    expect(walkText('<VirtualHost *:80>\nRewriteBase /x\n</VirtualHost>', MODS).error).toBe('RewriteBase: only valid in per-directory config files');
  });

  test('RewriteMap checks and featherd support', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-rw-'));
    fs.writeFileSync(path.join(dir, 'map.txt'), 'a b\n');
    const vh = (line: string) => walkText(`<VirtualHost *:80>\n${line}\n</VirtualHost>`, MODS, dir);
    expect(vh('RewriteMap m txt:/nonexist').error).toBe('RewriteMap: file for map m not found:/nonexist');
    expect(vh('RewriteMap m dbm=foo:/nonexist').error).toBe('RewriteMap: dbm type foo is invalid');
    expect(vh('RewriteMap m dbm').error).toBe('RewriteMap: bad map:dbm');
    expect(vh('RewriteMap m int:foo').error).toBe('RewriteMap: internal map not found:foo');
    expect(vh('RewriteMap m dbd:SELECT').error).toBe('RewriteMap types dbd and fastdbd require mod_dbd!');
    expect(vh('RewriteMap m').error).toBe('RewriteMap takes two or three arguments, a mapname and a filename and options');
    const ok = vh('RewriteMap m txt:map.txt\nRewriteMap r rnd:map.txt\nRewriteMap l int:tolower');
    expect(ok.error).toBeUndefined();
    expect(ok.state.diagnostics).toEqual([]);
    const maps = rewriteServerConfig(ok.state.vhosts[0].configs)?.maps;
    expect(maps?.get('m')).toEqual(expect.objectContaining({ type: 'txt', source: path.join(dir, 'map.txt') }));
    expect(maps?.get('l')?.type).toBe('int');
    const prg = vh('RewriteMap p prg:map.txt');
    expect(prg.error).toBeUndefined();
    expect(prg.state.diagnostics).toEqual([expect.objectContaining({ severity: 'error', rule: 'unsupported' })]);
    expect(prg.state.diagnostics[0].message).toContain("'prg'");
  });

  test('rules and conditions are recorded', () => {
    const { error, sections, state } = walkText(
      [
        '<Directory /srv>',
        'RewriteEngine On',
        'RewriteBase /app/',
        'RewriteCond %{REQUEST_FILENAME} !-f [OR]',
        'RewriteCond %{HTTP_HOST} ^www\\.(.+)$ [NC]',
        'RewriteCond %{QUERY_STRING} =""',
        'RewriteCond %{REMOTE_PORT} -ne80',
        'RewriteRule ^(.*)$ index.php?q=$1 [QSA,L,R=permanent]',
        'RewriteRule ^old - [G]',
        'RewriteRule "^a b$" /c? [P]',
        '</Directory>',
      ].join('\n'),
      MODS,
    );
    expect(error).toBeUndefined();
    const conf = rewriteDirConfig(sections[0].dirConfigs);
    expect(conf?.engine).toBe(true);
    expect(conf?.base).toBe('/app/');
    expect(conf?.rules.length).toBe(3);
    const [r1, r2, r3] = conf?.rules ?? [];
    expect(r1.conds.map((c) => [c.type, c.negate, c.pattern, c.ornext, c.nocase])).toEqual([
      ['file', true, '-f', true, false],
      ['regex', false, '^www\\.(.+)$', false, true],
      ['str-eq', false, '', false, false],
      ['int-eq', true, '80', false, false],
    ]);
    expect(r1.conds[1].regex?.test('WWW.example.org')).toBe(true);
    expect(r1.flags).toEqual(expect.objectContaining({ qsAppend: true, last: true, redirect: true, status: 301, statusOnly: false }));
    expect(r2.noSub && r2.flags.statusOnly && r2.flags.status === 410).toBe(true);
    expect(r2.conds).toEqual([]);
    expect(r3.pattern).toBe('^a b$');
    expect(r3.substitution).toBe('/c');
    expect(r3.qsNone).toBe(true);
    expect(r3.flags.proxy).toBe(true);
    expect(state.diagnostics.map((d) => d.rule)).toEqual(['rewrite-proxy-flag-without-mod-proxy']);
  });

  test('NoCase on a file test warns as httpd (AH00665)', () => {
    const { error, state } = walkText('<Directory /tmp>\nRewriteCond %{HTTP_HOST} -f [NC]\nRewriteRule ^ -\n</Directory>', MODS);
    expect(error).toBeUndefined();
    expect(state.diagnostics[0]).toEqual(expect.objectContaining({ code: 'AH00665', message: "RewriteCond: NoCase option for non-regex pattern '-f' is not supported and will be ignored. (/test/httpd.conf:2)" }));
  });
});
