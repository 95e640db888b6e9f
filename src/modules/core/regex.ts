/**
 * httpd compiles configuration regexes with PCRE2 (ap_regcomp, AP_REG_EXTENDED plus the
 * RegexDefaultOptions, by default DOTALL and DOLLAR_ENDONLY). featherd runs them as JavaScript
 * RegExps. The translation:
 *  - `.` matches newlines (DOTALL): the `s` flag (callers may turn it off with `dotAll: false`);
 *  - `$` matches only at the very end (DOLLAR_ENDONLY): JavaScript's `$` without `m` already does;
 *  - `(?P<name>…)` and `(?'name'…)` become `(?<name>…)`; `(?P=name)` becomes `\k<name>`;
 *  - a leading `(?i)` (also `(?s)`, `(?m)`, `(?x)` is rejected) becomes a flag;
 *  - POSIX classes inside brackets (`[[:alpha:]]` …) are expanded;
 *  - `\A` becomes `^`, `\z` the very end, `\Z` the end or before a final newline, `\h` `[ \t]`;
 *  - `(?i:…)` groups become groups whose letters match either case (`[aA]`);
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

export interface RegexOptions {
  /** Match case-insensitively (AP_REG_ICASE). */
  icase?: boolean;
  /** `.` matches newlines (PCRE2_DOTALL); true unless set to false. */
  dotAll?: boolean;
}

/** Translate and compile; returns undefined when httpd's PCRE would fail or JS cannot express it. */
export function compileRegex(pattern: string, opts: RegexOptions = {}): CompiledRegex | undefined {
  const flags = new Set<string>(opts.dotAll === false ? [] : ['s']);
  let src = pattern;
  const lead = /^\(\?([imsxn]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'i' || f === 'm' || f === 's') flags.add(f);
      else return undefined;
    }
    src = src.slice(lead[0].length);
  }
  if (opts.icase) flags.add('i');
  const out = translate(src);
  if (out === undefined) return undefined;
  try {
    const regex = new RegExp(out.src, [...flags].join(''));
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
      else if (!inClass && n === 'z') out += '$(?![\\s\\S])'; // `$` alone would stop at line ends under (?m)
      else if (!inClass && n === 'Z') out += '(?=\\n?$(?![\\s\\S]))';
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
      if (rest.startsWith('i:')) {
        // (?i:…): JavaScript (before V8 12.5) has no scoped modifiers; spell the letters out.
        const end = groupEnd(src, i);
        if (end < 0) return undefined;
        const inner = translate(src.slice(i + 4, end));
        if (!inner) return undefined;
        names.push(...inner.names);
        out += `(?:${caseless(inner.src)})`;
        i = end;
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

/** Index of the `)` closing the group opened at `start`, or -1. */
function groupEnd(src: string, start: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (src[i + 1] === '^') i++;
      if (src[i + 1] === ']') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

const isLetter = (c: string) => /^[A-Za-z]$/.test(c);
const other = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

/** Make the letters of a (JavaScript) regex source match in either case. */
function caseless(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (n === 'k' && src[i + 2] === '<') {
        const close = src.indexOf('>', i);
        out += src.slice(i, close + 1);
        i = close;
      } else {
        out += c + n;
        i++;
      }
      continue;
    }
    if (c === '(' && src.startsWith('(?<', i) && !src.startsWith('(?<=', i) && !src.startsWith('(?<!', i)) {
      const close = src.indexOf('>', i);
      out += src.slice(i, close + 1);
      i = close;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      let cls = '[';
      if (src[j] === '^') cls += src[j++];
      let extra = '';
      for (; j < src.length && src[j] !== ']'; j++) {
        const x = src[j];
        if (x === '\\') {
          cls += x + (src[j + 1] ?? '');
          j++;
          continue;
        }
        cls += x;
        if (isLetter(x)) {
          if (src[j + 1] === '-' && isLetter(src[j + 2] ?? '')) {
            const y = src[j + 2];
            cls += `-${y}`;
            extra += `${other(x)}-${other(y)}`;
            j += 2;
          } else {
            extra += other(x);
          }
        }
      }
      out += `${cls}${extra}]`;
      i = j;
      continue;
    }
    out += isLetter(c) ? `[${c}${other(c)}]` : c;
  }
  return out;
}
