import type { Cmd } from '../../directives/types.js';

const starts = (w: string, full: string, n: number) => w.slice(0, n).toLowerCase() === full.slice(0, n);

/** mod_expires.c check_code: `A<secs>`, `M<secs>` or `<base> [plus] {<num> <type>}*`. */
function checkExpiresCode(code: string): string | undefined {
  if (code.startsWith('A') || code.startsWith('M')) return undefined;
  const words = code.split(/\s+/).filter((w) => w !== '');
  let i = 0;
  const base = words[i++] ?? '';
  if (!(starts(base, 'now', 1) || starts(base, 'access', 1) || starts(base, 'modification', 1))) {
    return `bad expires code, unrecognised <base> '${base}'`;
  }
  if (words[i] !== undefined && starts(words[i], 'plus', 1)) i++;
  while (i < words.length) {
    const num = words[i++];
    if (!/^\d/.test(num)) return `bad expires code, numeric value expected <num> '${num}'`;
    const type = words[i++];
    if (type === undefined) return 'bad expires code, missing <type>';
    const ok =
      starts(type, 'years', 1) ||
      (type.length >= 2 && starts(type, 'months', 2)) ||
      starts(type, 'weeks', 1) ||
      starts(type, 'days', 1) ||
      starts(type, 'hours', 1) ||
      (type.length >= 2 && starts(type, 'minutes', 2)) ||
      starts(type, 'seconds', 1);
    if (!ok) return `bad expires code, unrecognised <type>'${type}'`;
  }
  return undefined;
}

export function expiresDefault(cmd: Cmd, [code]: string[]) {
  const err = checkExpiresCode(code);
  return err ? `'${cmd.entry.name} ${code}': ${err}` : undefined;
}

export function expiresByType(cmd: Cmd, [type, code]: string[]) {
  const err = checkExpiresCode(code);
  return err ? `'${cmd.entry.name} ${type} ${code}': ${err}` : undefined;
}
