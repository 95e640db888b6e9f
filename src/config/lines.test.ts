import { allLogicalLines, logicalLines, trimSpace, isSpace } from './lines.js';

describe('logical lines', () => {
  test('LF and CRLF line ends', () => {
    expect(logicalLines('A 1\r\nB 2\nC 3').map((l) => [l.text, l.firstLine, l.lastLine])).toEqual([
      ['A 1', 1, 1],
      ['B 2', 2, 2],
      ['C 3', 3, 3],
    ]);
  });

  test('a backslash that is literally last joins the next line with no space', () => {
    const [l] = logicalLines('Foo a\\\nb\n');
    expect(l).toEqual({ text: 'Foo ab', firstLine: 1, lastLine: 2, column: 1 });
  });

  test('indentation of the continued line is kept', () => {
    expect(logicalLines('Foo a \\\n   b \\\r\n  c\n')[0].text).toBe('Foo a    b   c');
  });

  test('backslash followed by a space does not continue', () => {
    expect(logicalLines('Foo \\ \nBar').map((l) => l.text)).toEqual(['Foo \\', 'Bar']);
  });

  test('a doubled backslash at the end still continues', () => {
    expect(logicalLines('Foo a\\\\\nb').map((l) => l.text)).toEqual(['Foo a\\b']);
  });

  test('comment lines continue too, and are skipped whole', () => {
    expect(logicalLines('# comment \\\nBogus\nReal').map((l) => l.text)).toEqual(['Real']);
  });

  test('blank and comment lines are skipped, # elsewhere is ordinary', () => {
    const ls = logicalLines('\n   \n\t# x\nServerAdmin a # b\n');
    expect(ls.map((l) => l.text)).toEqual(['ServerAdmin a # b']);
    expect(ls[0].lastLine).toBe(4);
  });

  test('trimming uses the C whitespace set', () => {
    expect(trimSpace('\v\f\t x \r\n')).toBe('x');
    expect(isSpace('\u00a0')).toBe(false);
    expect(logicalLines('\u00a0Foo')[0].text).toBe('\u00a0Foo');
  });

  test('column of the first character', () => {
    expect(logicalLines('    Foo\n\tBar\n').map((l) => l.column)).toEqual([5, 2]);
  });

  test('continuation into the end of the file drops the backslash; no newline keeps it', () => {
    expect(logicalLines('Foo a\\\n').map((l) => [l.text, l.lastLine])).toEqual([['Foo a', 1]]);
    expect(logicalLines('Foo a\\').map((l) => l.text)).toEqual(['Foo a\\']);
  });

  test('a byte order mark is kept, as httpd keeps it', () => {
    expect(logicalLines('\uFEFFFoo')[0].text).toBe('\uFEFFFoo');
  });

  test('a CR not before LF is kept (then trimmed at the end of a line)', () => {
    expect(allLogicalLines('A\rB\n')[0].text).toBe('A\rB');
  });

  test('lines longer than the limit are marked', () => {
    const [l] = logicalLines(`Foo ${'x'.repeat(50)}\n`, 20);
    expect(l.tooLong).toBe(true);
  });
});
