import type { RawNode, RawSection } from './ast.js';
import { endTagError, isEndTagOf, parseConfig, parseConfigText, parseLogicalLines, parseText, sectionName } from './parser.js';
import { logicalLines } from './lines.js';

function shape(nodes: RawNode[]): unknown[] {
  return nodes.map((n) =>
    n.kind === 'section' ? { section: n.name, args: n.rawArgs, children: shape(n.children), end: n.endText ?? null, endError: n.endError ?? null } : n.kind === 'error' ? { error: n.message } : { directive: n.name, args: n.rawArgs },
  );
}

describe('parser', () => {
  test('directives and nested sections with locations', () => {
    const raw = parseConfig('ServerName a\n<VirtualHost *:80>\n  <Location /x>\n    Require all granted\n  </Location>\n</VirtualHost>\n', '/c/h.conf');
    expect(shape(raw.nodes)).toEqual([
      { directive: 'ServerName', args: 'a' },
      {
        section: 'VirtualHost',
        args: '*:80>',
        end: '</VirtualHost>',
        endError: null,
        children: [{ section: 'Location', args: '/x>', end: '</Location>', endError: null, children: [{ directive: 'Require', args: 'all granted' }] }],
      },
    ]);
    const vh = raw.nodes[1] as RawSection;
    expect(vh.loc).toEqual({ file: '/c/h.conf', line: 2, column: 1 });
    expect(vh.endLoc).toEqual({ file: '/c/h.conf', line: 6, column: 1 });
    expect((vh.children[0] as RawSection).loc).toEqual({ file: '/c/h.conf', line: 3, column: 3 });
  });

  test('a directive keeps the line text and reports its last physical line', () => {
    const [d] = parseConfig('  ProxyPass /a \\\n   http://b/\n', 'f').nodes;
    expect(d).toEqual({ kind: 'directive', name: 'ProxyPass', rawArgs: '/a    http://b/', text: 'ProxyPass /a    http://b/', loc: { file: 'f', line: 2, column: 3 }, firstLine: 1 });
  });

  test('variables are not expanded by the parser', () => {
    const [d] = parseConfig('Foo ${BAR} "${BAZ}"', 'f').nodes;
    expect(d.kind === 'directive' && d.rawArgs).toBe('${BAR} "${BAZ}"');
  });

  test('<Name> without arguments gets ">" as argument text', () => {
    const [s] = parseConfig('<Else>\n</Else>', 'f').nodes;
    expect(s.kind === 'section' && s.rawArgs).toBe('>');
    expect(s.kind === 'section' && s.name).toBe('Else');
  });

  test('end tag without a section', () => {
    expect(shape(parseConfig('</Location>\n', 'f').nodes)).toEqual([{ error: '</Location> without matching <Location> section' }]);
    expect(shape(parseConfig('</IfModule >\n', 'f').nodes)).toEqual([{ error: '</IfModule without matching <IfModule section' }]);
  });

  test('end tag errors are recorded on the section', () => {
    expect(shape(parseConfig('<Location />\n</Directory>\n', 'f').nodes)).toEqual([
      { section: 'Location', args: '/>', children: [], end: '</Directory>', endError: 'Expected </Location> but saw </Directory>' },
    ]);
    expect(shape(parseConfig('<Location />\n</Location foo>\n', 'f').nodes)).toEqual([
      { section: 'Location', args: '/>', children: [], end: '</Location foo>', endError: "</Location> directive missing closing '>'" },
    ]);
    expect(shape(parseConfig('<location />\n</LOCATION>\n', 'f').nodes)[0]).toMatchObject({ endError: null });
  });

  test('sections left open at the end, outermost first', () => {
    const r = parseConfigText('<A>\n<B>\nFoo\n', 'f');
    expect(r.unclosed.map((s) => s.name)).toEqual(['A', 'B']);
  });

  test('line too long is an error node', () => {
    const r = parseConfigText(`Foo ${'x'.repeat(16 * 1024 * 1024 + 1)}\nBar\n`, '/c/h.conf');
    expect(shape(r.raw.nodes)).toEqual([{ error: 'Error reading /c/h.conf at line 1: Line too long' }, { directive: 'Bar', args: '' }]);
  });

  test('quoted first word', () => {
    expect(shape(parseConfig('"Server Name" x', 'f').nodes)).toEqual([{ directive: 'Server Name', args: 'x' }]);
  });

  test('helpers', () => {
    expect(sectionName('<Location>')).toBe('Location');
    expect(sectionName('<Location')).toBe('Location');
    expect(endTagError('</Location>', 'location')).toBeUndefined();
    expect(isEndTagOf('</VirtualHost>', 'virtualhost')).toBe(true);
    expect(isEndTagOf('</Location>', 'Location')).toBe(true);
    // Not the plain form: the full check decides.
    for (const line of ['</Location >', '</Location', '</Locatio>', '</Loca\\tion>', '</${X}>', '</Locat-on>', '<Location>']) {
      expect(isEndTagOf(line, line === '</Loca\\tion>' ? 'Loca\\tion' : line === '</${X}>' ? '${X}' : 'Location')).toBe(false);
    }
    expect(isEndTagOf('</Locat-on>', 'Locat-on')).toBe(true);
    expect(isEndTagOf('</Loc[tion>', 'Loc{tion')).toBe(false);
    expect(endTagError('</Loc[tion>', 'Loc{tion')).toBe('Expected </Loc{tion> but saw </Loc[tion>');
  });

  test('nodes made on demand, one top-level node at a time, equal the whole parse', () => {
    const text = 'A 1\n<S x>\n  B \\\n  2\n  <T>\n  </T>\n</S>\n</Stray>\n<Open>\nC\n';
    const parsed = parseText(text, '/c/h.conf');
    const one: RawNode[] = [];
    const starts: number[] = [];
    for (let i = 0; i < parsed.end; i = parsed.next(i)) {
      starts.push(i);
      one.push(parsed.node(i));
    }
    expect(starts).toEqual([0, 1, 6, 7]);
    expect(one).toEqual(parseConfig(text, '/c/h.conf').nodes);
    expect(parsed.all()).toEqual(one);
    expect(shape(one)).toEqual([
      { directive: 'A', args: '1' },
      { section: 'S', args: 'x>', end: '</S>', endError: null, children: [{ directive: 'B', args: '2' }, { section: 'T', args: '>', end: '</T>', endError: null, children: [] }] },
      { error: '</Stray> without matching <Stray> section' },
      { section: 'Open', args: '>', end: null, endError: null, children: [{ directive: 'C', args: '' }] },
    ]);
  });

  test('logical lines parse as the text they come from', () => {
    const text = 'A 1\n<S>\nB\n</S>\n';
    expect(parseLogicalLines(logicalLines(text), 'f').all()).toEqual(parseConfig(text, 'f').nodes);
  });
});
