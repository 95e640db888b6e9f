/**
 * httpd compiles configuration regexes with PCRE2 (ap_regcomp, AP_REG_EXTENDED plus the
 * RegexDefaultOptions, by default DOTALL and DOLLAR_ENDONLY). featherd runs them as JavaScript
 * RegExps. The translation:
 *  - `.` matches newlines (DOTALL): the `s` flag;
 *  - `$` matches only at the very end (DOLLAR_ENDONLY): JavaScript's `$` without `m` already does;
 *  - `(?P<name>…)` and `(?'name'…)` become `(?<name>…)`; `(?P=name)` becomes `\k<name>`;
 *  - a leading `(?i)` (also `(?s)`, `(?m)`, `(?x)` is rejected) becomes a flag;
 *  - POSIX classes inside brackets (`[[:alpha:]]` …) are expanded;
 *  - `\A` becomes `^`, `\z` and `\Z` become `$`, `\h` becomes `[ \t]`;
 *  - possessive quantifiers (`a*+`) and atomic groups (`(?>…)`) run as their backtracking
 *    forms (same matches for the patterns configs use; slower on pathological input);
 * and constructs JavaScript lacks (recursion `(?R)`, conditionals `(?(…)…)`, inline flags
 * elsewhere than at the start, `\G`, negated POSIX classes) are reported as not compilable.
 */

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

export interface CompiledRegex {
  regex: RegExp;
  /** Named groups, in order. */
  groupNames: string[];
}

/** Translate and compile; returns undefined when httpd's PCRE would fail or JS cannot express it. */
export function compileRegex(pattern: string, opts: { icase?: boolean } = {}): CompiledRegex | undefined {
  let flags = 's';
  let src = pattern;
  const lead = /^\(\?([imsxn]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i') flags += 'i';
      else if (f === 'm') flags += 'm';
      else if (f === 's') continue;
      else return undefined;
    }
    src = src.slice(lead[0].length);
  }
  if (opts.icase && !flags.includes('i')) flags += 'i';
  const out = translate(src);
  if (out === undefined) return undefined;
  try {
    const regex = new RegExp(out.src, flags);
    return { regex, groupNames: out.names };
  } catch {
    return undefined;
  }
}

function translate(src: string): { src: string; names: string[] } | undefined {
  let out = '';
  const names: string[] = [];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return undefined; // trailing backslash
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && (n === 'z' || n === 'Z')) out += '$';
      else if (n === 'h') out += inClass ? ' \\t' : '[ \\t]';
      else if (n === 'G' || n === 'K' || n === 'R' || n === 'X') return undefined;
      else out += c + n;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const end = src.indexOf(':]', i + 2);
        if (end > 0) {
          const name = src.slice(i + 2, end);
          const neg = name.startsWith('^');
          const cls = POSIX[neg ? name.slice(1) : name];
          if (!cls || neg) return undefined;
          out += cls;
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '+' && i > 0 && /[*+?}]/.test(src[i - 1]) && src[i - 2] !== '\\') {
      continue; // possessive quantifier: run as the greedy one
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      let m: RegExpExecArray | null;
      if ((m = /^P<([A-Za-z_]\w*)>/.exec(rest)) || (m = /^'([A-Za-z_]\w*)'/.exec(rest)) || (m = /^<([A-Za-z_]\w*)>/.exec(rest))) {
        names.push(m[1]);
        out += `(?<${m[1]}>`;
        i += 1 + m[0].length;
        continue;
      }
      if ((m = /^P=([A-Za-z_]\w*)\)/.exec(rest))) {
        out += `\\k<${m[1]}>`;
        i += 1 + m[0].length;
        continue;
      }
      if (rest.startsWith('>')) {
        out += '(?:'; // atomic group: run as a plain group
        i += 2;
        continue;
      }
      if (/^(:|=|!|<=|<!)/.test(rest)) {
        out += c;
        continue;
      }
      return undefined; // atomic groups, recursion, conditionals, inline flags, comments
    }
    out += c;
  }
  if (inClass) return undefined;
  return { src: out, names };
}
