/**
 * AuthUserFile lookups and apr_password_validate: `$apr1$` (MD5), `$2y$`/`$2a$`/`$2b$` (bcrypt),
 * `{SHA}` (base64 SHA-1), and what APR hands to the system's crypt(3): `$5$`/`$6$` (SHA-256 and
 * SHA-512 crypt, htpasswd -2 and -5), `$1$` (MD5 crypt) and traditional DES crypt.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import apacheCrypt from 'apache-crypt';
import apacheMd5 from 'apache-md5';
import bcrypt from 'bcryptjs';
import { verify as shaCryptVerify } from 'unixcrypt';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether `password` matches `hash` (apr_password_validate on a Unix system). */
export function validatePassword(password: string, hash: string): boolean {
  if (hash.startsWith('$apr1$')) return same(apacheMd5(password, hash), hash);
  if (/^\$2[aby]\$/.test(hash)) {
    try {
      return bcrypt.compareSync(password, hash.replace(/^\$2y\$/, '$2b$'));
    } catch {
      return false;
    }
  }
  if (hash.startsWith('{SHA}')) return same(`{SHA}${createHash('sha1').update(password, 'utf8').digest('base64')}`, hash);
  if (hash.startsWith('$5$') || hash.startsWith('$6$')) {
    try {
      return shaCryptVerify(password, hash);
    } catch {
      // a malformed hash (bad rounds=, a length that differs) matches nothing
      return false;
    }
  }
  // glibc's MD5 crypt: $apr1$'s algorithm under its own prefix.
  if (hash.startsWith('$1$')) return same(apacheMd5(password, hash), hash);
  if (hash.startsWith('$')) return false;
  if (hash.length < 2) return false;
  return same(apacheCrypt(password, hash.slice(0, 2)), hash);
}

export type UserLookup = { kind: 'found'; hash: string } | { kind: 'not-found' } | { kind: 'error'; message: string };

/** The hash of `user` in an htpasswd file (authn_file's check_password lookup). */
export async function lookupUser(file: string, user: string): Promise<UserLookup> {
  let text: string;
  try {
    text = await readFile(file, 'latin1');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'error';
    return { kind: 'error', message: `AH01620: Could not open password file: ${file} (${code})` };
  }
  for (const line of text.split('\n')) {
    const l = line.replace(/\r$/, '');
    if (l === '' || l.startsWith('#')) continue;
    const colon = l.indexOf(':');
    if (colon < 0) continue;
    if (l.slice(0, colon) === user) return { kind: 'found', hash: l.slice(colon + 1).split(':')[0] };
  }
  return { kind: 'not-found' };
}
