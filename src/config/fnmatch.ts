/**
 * Shell-style wildcard matching as apr_fnmatch with APR_FNM_PERIOD (used by httpd's Include):
 * `*` any run of characters, `?` one character, `[…]` a class (`!` or `^` negates, `a-z`
 * ranges), `\x` the character x; a leading `.` in the name must be matched by a literal `.`.
 */

/** apr_fnmatch_test: whether `pattern` contains wildcard characters. */
export function hasWildcard(pattern: string): boolean {
  let nesting = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '?' || c === '*') return true;
    if (c === '\\') {
      i++;
      if (i >= pattern.length) return false;
    } else if (c === '[') {
      nesting++;
    } else if (c === ']' && nesting > 0) {
      return true;
    }
  }
  return false;
}

/** Whether `name` matches `pattern` (apr_fnmatch with APR_FNM_PERIOD, case-sensitive). */
export function fnmatch(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.') && !pattern.startsWith('\\.')) return false;
  return matchAt(pattern, 0, name, 0);
}

function matchAt(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi >= p.length) return true;
      for (let k = si; k <= s.length; k++) {
        if (matchAt(p, pi, s, k)) return true;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const cls = matchClass(p, pi, s[si]);
      if (cls === undefined) {
        // No closing bracket: '[' is an ordinary character.
        if (s[si] !== '[') return false;
        pi++;
        si++;
        continue;
      }
      if (!cls.matched) return false;
      pi = cls.next;
      si++;
      continue;
    }
    if (c === '\\' && pi + 1 < p.length) {
      if (s[si] !== p[pi + 1]) return false;
      pi += 2;
      si++;
      continue;
    }
    if (s[si] !== c) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function matchClass(p: string, start: number, ch: string): { matched: boolean; next: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let matched = false;
  let first = true;
  while (i < p.length && (p[i] !== ']' || first)) {
    first = false;
    let lo = p[i];
    if (lo === '\\' && i + 1 < p.length) {
      i++;
      lo = p[i];
    }
    let hi = lo;
    if (p[i + 1] === '-' && i + 2 < p.length && p[i + 2] !== ']') {
      hi = p[i + 2];
      if (hi === '\\' && i + 3 < p.length) {
        hi = p[i + 3];
        i++;
      }
      i += 2;
    }
    if (ch >= lo && ch <= hi) matched = true;
    i++;
  }
  if (i >= p.length) return undefined;
  return { matched: matched !== negate, next: i + 1 };
}
