/**
 * mod_log_config's format language (parse_log_string / parse_log_item). The parsed items are
 * what the access-log writer interprets at run time.
 */

export type LogItem =
  | { kind: 'literal'; text: string }
  | {
      kind: 'field';
      /** `h`, `a`, `t`, `i`, `^ti`, … */
      key: string;
      /** The `{…}` argument, or ''. */
      arg: string;
      /** `%400,501{…}i`: only for these statuses (or, with `negate`, all others). */
      statuses: number[];
      negate: boolean;
      /** `<` (original request) = true, `>` (final) = false, unset = the item's default. */
      wantOriginal?: boolean;
    };

/** Letters mod_log_config, mod_logio and the always-loaded modules register. */
export const LOG_FORMAT_KEYS = new Set([
  'h', 'a', 'A', 'l', 'u', 't', 'f', 'b', 'B', 'i', 'o', 'n', 'L', 'e', 'V', 'v', 'p', 'P', 'H', 'm', 'q', 'X', 'C',
  'k', 'r', 'D', 'T', 'U', 's', 'R', '^ti', '^to', 'I', 'O', 'S', '^FB',
]);

/** Backslash escapes of literal text (parse_log_misc_string). */
function unescape(text: string): string {
  return text.replace(/\\(.)/gs, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c));
}

/** Parse a LogFormat string; returns the items or httpd's error message. */
export function parseLogFormat(fmt: string, extraKeys: ReadonlySet<string> = new Set()): LogItem[] | string {
  const items: LogItem[] = [];
  let i = 0;
  while (i < fmt.length) {
    if (fmt[i] !== '%') {
      const next = fmt.indexOf('%', i);
      const end = next < 0 ? fmt.length : next;
      items.push({ kind: 'literal', text: unescape(fmt.slice(i, end)) });
      i = end;
      continue;
    }
    i++;
    if (fmt[i] === '%') {
      items.push({ kind: 'literal', text: '%' });
      i++;
      continue;
    }
    let negate = false;
    let wantOriginal: boolean | undefined;
    let arg = '';
    const statuses: number[] = [];
    let done = false;
    while (i < fmt.length && !done) {
      const c = fmt[i];
      if (c === '!') {
        negate = !negate;
        i++;
      } else if (c === '<') {
        wantOriginal = true;
        i++;
      } else if (c === '>') {
        wantOriginal = false;
        i++;
      } else if (c === ',') {
        i++;
      } else if (c === '{') {
        const close = fmt.indexOf('}', i + 1);
        if (close < 0) {
          i = fmt.length;
          break;
        }
        arg = fmt.slice(i + 1, close);
        i = close + 1;
      } else if (c >= '0' && c <= '9') {
        let n = 0;
        while (i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9') n = n * 10 + Number(fmt[i++]);
        statuses.push(n);
      } else {
        let key: string | undefined;
        if (c === '^' && i + 2 < fmt.length + 0 && fmt.length - i >= 3) {
          const k3 = fmt.slice(i, i + 3);
          if (LOG_FORMAT_KEYS.has(k3) || extraKeys.has(k3)) key = k3;
        }
        if (!key) {
          if (!LOG_FORMAT_KEYS.has(c) && !extraKeys.has(c)) return `Unrecognized LogFormat directive %${c}`;
          key = c;
        }
        i += key.length;
        const item: LogItem = { kind: 'field', key, arg, statuses, negate };
        if (wantOriginal !== undefined) item.wantOriginal = wantOriginal;
        items.push(item);
        done = true;
      }
    }
    if (!done) return 'Ran off end of LogFormat parsing args to some directive';
  }
  return items;
}
