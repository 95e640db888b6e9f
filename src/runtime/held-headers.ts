/**
 * Response headers held as one flat `[name, value, name, value…]` list instead of Node's header
 * table, for a response whose headers are all known at once (a relayed backend response):
 * Node writes such a list with `writeHead(status, list)` without building its table, and the
 * list answers the header getters as the table would (`getHeader` etc., also after the head was
 * sent, for the log). Any other change to the headers first moves the list into the table with
 * `setHeader`, name by name, as if it had been set that way.
 */

/**
 * The list a response would have in its table after `setHeader(names[i], values[i])` for each
 * `i < n` in order, on a table holding only `Server: banner` (none when `banner` is empty):
 * `lows` are the names lowercased, each at most once. A value array becomes one entry per value.
 */
export function headerList(banner: string, names: readonly string[], lows: readonly string[], values: readonly (string | string[])[], n: number): string[] {
  const out: string[] = [];
  if (banner) out.push('Server', banner);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (banner && lows[i] === 'server') {
      // setHeader keeps the place of the name it replaces (with the new spelling).
      const repl: string[] = [];
      if (typeof v === 'string') repl.push(names[i], v);
      else for (const x of v) repl.push(names[i], x);
      out.splice(0, 2, ...repl);
      continue;
    }
    if (typeof v === 'string') out.push(names[i], v);
    else for (const x of v) out.push(names[i], x);
  }
  return out;
}

/** `getHeader(name)` of a list: undefined, the value, or every value of a repeated name. */
export function listGet(list: readonly string[], name: string): string | string[] | undefined {
  const lower = name.toLowerCase();
  let one: string | undefined;
  let more: string[] | null = null;
  for (let i = 0; i < list.length; i += 2) {
    if (list[i].length !== lower.length || list[i].toLowerCase() !== lower) continue;
    if (one === undefined) one = list[i + 1];
    else (more ??= [one]).push(list[i + 1]);
  }
  return more ?? one;
}

/** The distinct names of a list in order: as first spelled, or lowercased. */
export function listNames(list: readonly string[], lowercase: boolean): string[] {
  const out: string[] = [];
  const seen: string[] = [];
  for (let i = 0; i < list.length; i += 2) {
    const lower = list[i].toLowerCase();
    if (seen.includes(lower)) continue;
    seen.push(lower);
    out.push(lowercase ? lower : list[i]);
  }
  return out;
}

/** `getHeaders()` of a list: lowercased names to their values (an array for a repeated name). */
export function listObject(list: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const lower of listNames(list, true)) out[lower] = listGet(list, lower) as string | string[];
  return out;
}

/** Calls `set(name, value)` for each distinct name of a list in order, as the list was made. */
export function listReplay(list: readonly string[], set: (name: string, value: string | string[]) => void): void {
  for (const name of listNames(list, false)) set(name, listGet(list, name) as string | string[]);
}
