import { fnmatch, hasWildcard } from './fnmatch.js';

describe('apr_fnmatch with APR_FNM_PERIOD', () => {
  test.each<[string, string, boolean]>([
    ['*.conf', 'a.conf', true],
    ['*.conf', 'a.conf~', false],
    ['*.conf', '.hidden.conf', false],
    ['.*.conf', '.hidden.conf', true],
    ['?.conf', 'a.conf', true],
    ['?.conf', 'ab.conf', false],
    ['[ab].conf', 'b.conf', true],
    ['[!ab].conf', 'b.conf', false],
    ['[^ab].conf', 'c.conf', true],
    ['[a-c]*', 'beta', true],
    ['[a-c]*', 'delta', false],
    ['\\*.conf', '*.conf', true],
    ['\\*.conf', 'a.conf', false],
    ['*', '', true],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['[abc', '[abc', true],
    ['*.CONF', 'a.conf', false],
  ])('%s ~ %s = %s', (pattern, name, result) => {
    expect(fnmatch(pattern, name)).toBe(result);
  });

  test('apr_fnmatch_test', () => {
    expect(hasWildcard('/etc/*.conf')).toBe(true);
    expect(hasWildcard('/etc/a?.conf')).toBe(true);
    expect(hasWildcard('/etc/[ab].conf')).toBe(true);
    expect(hasWildcard('/etc/[ab.conf')).toBe(false);
    expect(hasWildcard('/etc/a\\*')).toBe(false);
    expect(hasWildcard('/etc/plain.conf')).toBe(false);
  });
});
