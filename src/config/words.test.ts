import { getWordConf, getWordConf2, splitWords, splitWords2 } from './words.js';

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
