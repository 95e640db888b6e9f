import type { CondPatternType } from './config.js';

/**
 * The CondPattern's type, as cmd_rewritecond determines it: `!` negation, `-f`-style tests,
 * `-lt`-style integer and `<`-style string comparisons, `expr` conditions, else a regex.
 * `shown` is the pattern text httpd names in its NoCase warning.
 */
export function condType(input: string, raw: string): { type: CondPatternType; negate: boolean; pattern: string; shown: string } {
  let a2 = raw;
  let negate = false;
  if (a2.startsWith('!')) {
    negate = true;
    a2 = a2.slice(1);
  }
  let type: CondPatternType = 'regex';
  if (input.toLowerCase() === 'expr') return { type: 'expr', negate, pattern: a2, shown: a2 };
  if (a2.length >= 2) {
    if (a2[0] === '-') {
      if (a2.length === 2) {
        const tests: Record<string, CondPatternType> = {
          f: 'file', s: 'size', d: 'dir', x: 'exec', h: 'link', L: 'link', l: 'link', U: 'url-lookup', F: 'file-lookup',
        };
        type = tests[a2[1]] ?? 'regex';
      } else if (a2.length > 3) {
        const op = a2.slice(1, 3);
        const ints: Record<string, CondPatternType> = { lt: 'int-lt', le: 'int-le', gt: 'int-gt', ge: 'int-ge', eq: 'int-eq', ne: 'int-eq' };
        if (ints[op]) {
          type = ints[op];
          if (op === 'ne') negate = !negate;
          a2 = a2.slice(3);
        }
      }
    } else if (a2[0] === '>' || a2[0] === '<') {
      const orEq = a2[1] === '=';
      type = a2[0] === '>' ? (orEq ? 'str-ge' : 'str-gt') : orEq ? 'str-le' : 'str-lt';
      a2 = a2.slice(orEq ? 2 : 1);
    } else if (a2[0] === '=') {
      type = 'str-eq';
      a2 = a2.slice(1);
      if (a2 === '""') a2 = '';
    }
  }
  return { type, negate, pattern: a2, shown: a2 };
}
