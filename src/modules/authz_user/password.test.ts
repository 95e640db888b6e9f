/**
 * AuthUserFile hashes as Apache's htpasswd writes them (MD5 apr1, bcrypt, SHA-1, crypt), checked
 * with featherd's validatePassword and lookupUser.
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
])('htpasswd %s (%s) hashes validate the right password only', (flag) => {
  const hash = htpasswd(flag, 'u', 'pa55word');
  expect(validatePassword('pa55word', hash)).toBe(true);
  expect(validatePassword('pa55worD', hash)).toBe(false);
  expect(validatePassword('', hash)).toBe(false);
});

test('unknown hash schemes never validate', () => {
  expect(validatePassword('x', '$6$salt$abc')).toBe(false);
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
