import { getWordConf, getWordConf2, splitWords, splitWords2, WordTable } from './words.js';

describe('ap_getword_conf', () => {
  test.each<[string, string[]]>([
    ['a b  c', ['a', 'b', 'c']],
    ['  a\t\tb\v\fc  ', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ["'a b' c", ['a b', 'c']],
    ['"it\'s"', ["it's"]],
    ['"a\\"b"', ['a"b']],
    ["'a\\'b'", ["a'b"]],
    ['"a\\\\b"', ['a\\b']],
    ['"a\\nb"', ['a\\nb']],
    ['"a"b', ['a', 'b']],
    ['a"b c"', ['a"b', 'c"']],
    ['""', ['']],
    ['"" x', ['', 'x']],
    ['"unterminated word', ['unterminated word']],
    ['a\\\\b', ['a\\b']],
    ['a\\"b', ['a\\"b']],
    ['a\\b', ['a\\b']],
    ['"a\\', ['a\\']],
    ['', []],
    ['   ', []],
  ])('%j', (input, words) => {
    expect(splitWords(input)).toEqual(words);
  });

  test('next index skips the following whitespace', () => {
    expect(getWordConf('  Foo   bar baz')).toEqual({ word: 'Foo', next: 8 });
    expect(getWordConf('"a b"  c')).toEqual({ word: 'a b', next: 7 });
    expect(getWordConf('   ')).toEqual({ word: '', next: 3 });
  });
});

describe('ap_getword_conf2', () => {
  test('braces group a word, nesting, without the outer braces', () => {
    expect(splitWords2('{%{REQUEST_URI} =~ m#^/a#} x')).toEqual(['%{REQUEST_URI} =~ m#^/a#', 'x']);
    expect(splitWords2('{a {b} c} d')).toEqual(['a {b} c', 'd']);
    expect(getWordConf2('{unterminated')).toEqual({ word: 'unterminated', next: 13 });
  });

  test('quotes and plain words as ap_getword_conf', () => {
    expect(splitWords2('"a b" c')).toEqual(['a b', 'c']);
    expect(splitWords2('a\\\\b')).toEqual(['a\\b']);
  });
});

describe('splitWords with an end and a WordTable', () => {
  test('words stop at the end given, even inside quotes', () => {
    expect(splitWords('a "b c" d>', 9)).toEqual(['a', 'b c', 'd']);
    expect(splitWords('a "b c>" d', 6)).toEqual(['a', 'b c']);
    expect(splitWords('  >', 2)).toEqual([]);
  });

  test('a table gives the same words, repeated short ones shared', () => {
    const table = new WordTable();
    const a = splitWords('on "/x/" http://backend.example/long/path/', undefined, table);
    const b = splitWords('on /x/ http://backend.example/long/path/', undefined, table);
    expect(a).toEqual(['on', '/x/', 'http://backend.example/long/path/']);
    expect(b).toEqual(a);
    expect(table.share(`o${'n'}`)).toBe('on');
  });

  test('many different words: all kept as they are', () => {
    const table = new WordTable();
    const text = Array.from({ length: 5000 }, (_, i) => `w${i}`).join(' ');
    expect(splitWords(text, undefined, table)).toEqual(text.split(' '));
    expect(splitWords(text, undefined, table)).toEqual(text.split(' '));
  });
});
