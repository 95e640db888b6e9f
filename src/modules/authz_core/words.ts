/**
 * httpd's ap_getword_conf: one word of a directive's raw argument text (quotes and
 * backslash-escaped quotes handled), and the rest of the text after the following blanks.
 */
export function getWordConf(text: string): { word: string; rest: string } {
  let i = 0;
  while (i < text.length && isSpace(text[i])) i++;
  if (i >= text.length) return { word: '', rest: '' };
  const quote = text[i];
  let word = '';
  let end: number;
  if (quote === '"' || quote === "'") {
    end = i + 1;
    while (end < text.length && text[end] !== quote) {
      if (text[end] === '\\' && text[end + 1] === quote) {
        word += quote;
        end += 2;
      } else {
        word += text[end++];
      }
    }
    if (end < text.length) end++;
  } else {
    end = i;
    while (end < text.length && !isSpace(text[end])) end++;
    word = text.slice(i, end);
  }
  while (end < text.length && isSpace(text[end])) end++;
  return { word, rest: text.slice(end) };
}

/** All words of a text (ap_getword_conf until the text is used up). */
export function allWords(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const r = getWordConf(rest);
    if (r.word === '' && r.rest === '') break;
    out.push(r.word);
    rest = r.rest;
  }
  return out;
}

/** apr_isspace: the C locale's white space. */
export function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}
