/** ap_pregsub: `$0`…`$9` and `&` (the whole match) in a template, `\$` and `\&` for the characters. */
export function pregsub(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    let no = -1;
    if (c === '&') no = 0;
    else if (c === '$' && /[0-9]/.test(template[i + 1] ?? '')) no = Number(template[++i]);
    if (no < 0) {
      if (c === '\\' && (template[i + 1] === '$' || template[i + 1] === '&')) out += template[++i];
      else out += c;
      continue;
    }
    out += m[no] ?? '';
  }
  return out;
}
