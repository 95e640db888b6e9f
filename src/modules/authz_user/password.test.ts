/**
 * AuthUserFile hashes as Apache's htpasswd writes them (MD5 apr1, bcrypt, SHA-1, SHA-256 and
 * SHA-512 crypt, crypt) and as openssl writes MD5 crypt, checked with featherd's
 * validatePassword and lookupUser.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lookupUser, validatePassword } from './password.js';

function htpasswd(flag: string, user: string, password: string): string {
  const line = execFileSync('htpasswd', [flag, user, password], { encoding: 'utf8' }).trim();
  return line.slice(line.indexOf(':') + 1);
}

test.each([
  ['-nbm', 'MD5 ($apr1$)'],
  ['-nbB', 'bcrypt ($2y$)'],
  ['-nbs', 'SHA-1 ({SHA})'],
  ['-nbd', 'crypt(3)'],
  ['-nb2', 'SHA-256 crypt ($5$)'],
  ['-nb5', 'SHA-512 crypt ($6$)'],
])('htpasswd %s (%s) hashes validate the right password only', (flag) => {
  const hash = htpasswd(flag, 'u', 'pa55word');
  expect(validatePassword('pa55word', hash)).toBe(true);
  expect(validatePassword('pa55worD', hash)).toBe(false);
  expect(validatePassword('', hash)).toBe(false);
});

test('SHA-512 crypt with rounds= (htpasswd -5 -r) and MD5 crypt ($1$, openssl passwd -1)', () => {
  const rounds = execFileSync('htpasswd', ['-nb5', '-r', '5000', 'u', 'pa55word'], { encoding: 'utf8' }).trim().slice('u:'.length);
  expect(rounds).toMatch(/^\$6\$rounds=5000\$/);
  expect(validatePassword('pa55word', rounds)).toBe(true);
  expect(validatePassword('pa55word!', rounds)).toBe(false);
  const md5 = execFileSync('openssl', ['passwd', '-1', 'pa55word'], { encoding: 'utf8' }).trim();
  expect(md5).toMatch(/^\$1\$/);
  expect(validatePassword('pa55word', md5)).toBe(true);
  expect(validatePassword('pa55wor', md5)).toBe(false);
});

test('unknown or malformed hashes never validate', () => {
  expect(validatePassword('x', '$6$salt$abc')).toBe(false);
  expect(validatePassword('x', '$5$rounds=x$salt$abc')).toBe(false);
  expect(validatePassword('x', '$y$j9T$salt$abc')).toBe(false);
  expect(validatePassword('x', '')).toBe(false);
});

test('lookupUser finds a user, skips comments and reports a missing file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-pw-'));
  try {
    const file = path.join(dir, 'users');
    fs.writeFileSync(file, `# comment\nalice:${htpasswd('-nbm', 'alice', 'a')}\r\nbob:{SHA}x:extra\n`);
    const a = await lookupUser(file, 'alice');
    expect(a.kind === 'found' && validatePassword('a', a.hash)).toBe(true);
    expect(await lookupUser(file, 'bob')).toEqual({ kind: 'found', hash: '{SHA}x' });
    expect(await lookupUser(file, 'carol')).toEqual({ kind: 'not-found' });
    const missing = await lookupUser(path.join(dir, 'nope'), 'alice');
    expect(missing.kind).toBe('error');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
