import { distance, suggest } from './suggest.js';

describe('suggest', () => {
  it('measures edit distance case-insensitively', () => {
    expect(distance('ProxyPass', 'proxypass')).toBe(0);
    expect(distance('ProxyPas', 'ProxyPass')).toBe(1);
    expect(distance('kitten', 'sitting')).toBe(3);
  });
  it('suggests the closest directive only when it is close', () => {
    expect(suggest('ProxyPas', ['ProxyPass', 'ProxyPassMatch', 'Listen'])).toBe('ProxyPass');
    expect(suggest('Frobnicate', ['ProxyPass', 'Listen'])).toBeUndefined();
  });
});
