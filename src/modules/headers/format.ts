import type { FormatPart } from './config.js';

const TAGS = new Set(['D', 't', 'e', 's', 'l', 'i', 'b']);

/** parse_misc_string: literal text up to the next `%`, with \\ \r \n \t escapes. */
function literal(s: string, i: number): { text: string; next: number } {
  let text = '';
  while (i < s.length && s[i] !== '%') {
    if (s[i] !== '\\') {
      text += s[i++];
      continue;
    }
    i++;
    const c = s[i];
    if (c === '\\') (text += '\\'), i++;
    else if (c === 'r') (text += '\r'), i++;
    else if (c === 'n') (text += '\n'), i++;
    else if (c === 't') (text += '\t'), i++;
    else text += '\\';
  }
  return { text, next: i };
}

/** mod_headers' parse_format_string: the value split into literal text and `%` tags. */
export function parseHeaderFormat(s: string): { parts: FormatPart[] } | { error: string } {
  const parts: FormatPart[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '%') {
      const { text, next } = literal(s, i);
      parts.push({ kind: 'text', text });
      i = next;
      continue;
    }
    i++;
    if (i >= s.length || s[i] === '%') {
      parts.push({ kind: 'text', text: '%' });
      if (i < s.length) i++;
      continue;
    }
    let arg = '';
    if (s[i] === '{') {
      const close = s.indexOf('}', i + 1);
      if (close < 0) {
        arg = s.slice(i + 1);
        i = s.length;
      } else {
        arg = s.slice(i + 1, close);
        i = close + 1;
      }
    }
    const tag = s[i] ?? '';
    i++;
    if (!TAGS.has(tag)) return { error: `Unrecognized header format %${tag}` };
    parts.push({ kind: 'tag', tag: tag as 'D', arg });
  }
  return { parts };
}
