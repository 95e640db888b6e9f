/** URL escaping as httpd's util.c does it, on byte strings (one character per octet). */

const PATH_SAFE = /[A-Za-z0-9$\-_.+!*'(),:@&=/~]/;

/** `ap_escape_uri` (ap_os_escape_path with partial=1): `%XX` for what may not stand in a path. */
export function escapePath(s: string): string {
  let out = '';
  for (const ch of bytes(s)) out += PATH_SAFE.test(ch) ? ch : hex(ch);
  return out;
}

function hex(ch: string): string {
  return '%' + ch.charCodeAt(0).toString(16).padStart(2, '0');
}

/** Characters above 0xFF (from configuration text) as their UTF-8 bytes. */
export function bytes(s: string): string {
  return /[^\x00-\xff]/.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** `ap_unescape_url`: `%XX` decoded (a bad escape is left as it is). */
export function unescapeUrl(s: string): string {
  return s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}
