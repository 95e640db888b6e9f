/**
 * httpd compiles ProxyPassMatch, <ProxyMatch> and ProxyRemoteMatch patterns with PCRE
 * (ap_pregcomp, AP_REG_EXTENDED). This turns the common PCRE-only syntax into a JavaScript
 * RegExp: a leading `(?i)`, POSIX classes (`[[:digit:]]`), `(?P<name>…)`, `\A`, `\z`, `\Z`.
 * Returns undefined when the pattern does not compile (httpd's "could not be compiled").
 */
const POSIX: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~', word: '\\w', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e', graph: '\\x21-\\x7e',
};

export function compileRegex(pattern: string, caseless = false): RegExp | undefined {
  let flags = caseless ? 'i' : '';
  let src = pattern;
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    if (inline[1].includes('i') && !flags.includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('m')) flags += 'm';
    src = src.slice(inline[0].length);
  }
  src = src
    .replace(/\[:(\w+):\]/g, (m, name: string) => POSIX[name] ?? m)
    .replace(/\(\?P</g, '(?<')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\[zZ]/g, '$1$');
  try {
    return new RegExp(src, flags);
  } catch {
    return undefined;
  }
}

/** Names of the named groups of a compiled pattern, in order (httpd's ap_regname). */
export function groupNames(pattern: string): string[] {
  const names: string[] = [];
  const re = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(pattern))) names.push(m[1]);
  return names;
}
