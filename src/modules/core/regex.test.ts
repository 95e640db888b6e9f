import { compileRegex } from './regex.js';

test.each([
  ['^/user/(?P<id>\\d+)$', '/user/7', true],
  ["^/a/(?'x'b)", '/a/b', true],
  ['(?i)^/ADMIN', '/admin', true],
  ['\\A/x\\z', '/x', true],
  ['^[[:alpha:]]+[[:digit:]]$', 'abc1', true],
  ['^[[:alpha:]]+$', 'ab1', false],
  ['\\.(?i:gif|jpe?g|png)$', 'a.JPEG', true],
  ['\\.(?i:gif|jpe?g|png)$', 'a.bmp', false],
  ['^(?i:[a-c]x)$', 'BX', true],
  ['a*+b', 'aaab', true],
  ['(?>ab)c', 'abc', true],
  ['a.b', 'a\nb', true],
  ['x$', 'x\n', false],
  ['x\\Z', 'x\n', true],
  ['x\\z', 'x\n', false],
  ['(?m)^a\\z', 'a\nb', false],
  ['(?m)^a$', 'a\nb', true],
])('%s matches %j: %s', (pattern, input, expected) => {
  const r = compileRegex(pattern);
  expect(r).toBeDefined();
  expect(r!.regex.test(input)).toBe(expected);
});

test('named groups are reported, including PCRE spellings', () => {
  expect(compileRegex('(?P<a>x)(?<b>y)(?i:(?<c>z))')!.groupNames).toEqual(['a', 'b', 'c']);
});

test.each(['(', 'a{2,1}', '[', '(?R)', 'a(?i)b', '\\'])('%s does not compile', (pattern) => {
  expect(compileRegex(pattern)).toBeUndefined();
});

test('icase option', () => {
  expect(compileRegex('^/abc', { icase: true })!.regex.test('/ABC')).toBe(true);
});

test('dotAll option: off, `.` stops at newlines unless the pattern starts with (?s)', () => {
  expect(compileRegex('a.b', { dotAll: false })!.regex.test('a\nb')).toBe(false);
  expect(compileRegex('(?s)a.b', { dotAll: false })!.regex.test('a\nb')).toBe(true);
  expect(compileRegex('(?i)A.B', { dotAll: false, icase: true })!.regex.test('a-b')).toBe(true);
});
