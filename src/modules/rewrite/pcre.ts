/**
 * Compile a PCRE pattern (as httpd's ap_pregcomp) into a JavaScript RegExp.
 *
 * The common PCRE-only forms are rewritten first: POSIX classes (`[[:alpha:]]`), `\A`, `\z`,
 * `\Z`, possessive quantifiers and atomic groups (matched as ordinary ones), `(?P<name>`,
 * and a leading `(?i)`. A pattern that still does not compile is reported as httpd would
 * report a PCRE compile error.
 */
export type PcreResult = { ok: true; regex: RegExp } | { ok: false; error: string };

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

function translate(src: string): { source: string; flags: string } {
  let flags = '';
  let s = src;
  const lead = /^\(\?([imsx]+)\)/.exec(s);
  if (lead && !lead[1].includes('x')) {
    if (lead[1].includes('i')) flags += 'i';
    if (lead[1].includes('s')) flags += 's';
    if (lead[1].includes('m')) flags += 'm';
    s = s.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (!inClass && n === 'A') out += '^';
      else if (!inClass && n === 'z') out += '$(?![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?=\\n?$(?![\\s\\S]))';
      else out += c + (n ?? '');
      i++;
      continue;
    }
    if (inClass) {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(s.slice(i));
      if (posix && POSIX[posix[2]] && !posix[1]) {
        out += POSIX[posix[2]];
        i += posix[0].length - 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (s[i + 1] === '^') out += s[++i];
      if (s[i + 1] === ']') out += '\\' + s[++i];
      continue;
    }
    if (c === '(' && s.startsWith('(?>', i)) {
      out += '(?:';
      i += 2;
      continue;
    }
    if (c === '(' && s.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '+' && i > 0 && /[*+?}]/.test(s[i - 1]) && s[i - 2] !== '\\') continue;
    out += c;
  }
  return { source: out, flags };
}

/** ap_pregcomp(pattern, AP_REG_EXTENDED [| AP_REG_ICASE]). */
export function compilePcre(pattern: string, icase = false): PcreResult {
  const { source, flags } = translate(pattern);
  const f = new Set(flags.split('').filter((x) => x));
  if (icase) f.add('i');
  try {
    return { ok: true, regex: new RegExp(source, [...f].join('')) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
