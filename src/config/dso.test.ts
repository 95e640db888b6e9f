import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { definesSymbol, dsoError, librarySearchPath } from './dso.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-dso-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const libc = () => {
  const found = librarySearchPath({}).map((d) => path.join(d, 'libc.so.6')).find((f) => fs.existsSync(f));
  if (!found) throw new Error('libc.so.6 not found in the loader search path');
  return found;
};

test('definesSymbol reads the dynamic symbol table: defined symbols only', () => {
  const data = fs.readFileSync(libc());
  expect(definesSymbol(data, 'malloc')).toBe(true);
  expect(definesSymbol(data, 'foo_module')).toBe(false);
  // a header without section headers: unknown
  const bare = Buffer.from(data.subarray(0, 64));
  bare.writeBigUInt64LE(0n, 0x28);
  expect(definesSymbol(bare, 'malloc')).toBeUndefined();
});

test('dlopen-like errors: missing, directory, too short, not ELF, 32-bit', () => {
  const at = (name: string) => path.join(dir, name);
  fs.mkdirSync(at('d'));
  fs.writeFileSync(at('short.so'), 'x');
  fs.writeFileSync(at('text.so'), 'y'.repeat(100));
  fs.writeFileSync(at('elf32.so'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]), Buffer.alloc(100)]));
  const err = (written: string) => {
    const r = dsoError({ written, fullPath: path.isAbsolute(written) ? written : at(written), env: {} });
    return 'error' in r ? r.error : r.file;
  };
  expect(err(at('none.so'))).toBe(`Cannot load ${at('none.so')} into server: ${at('none.so')}: cannot open shared object file: No such file or directory`);
  expect(err(`${at('d')}/`)).toBe(`Cannot load ${at('d')}/ into server: ${at('d')}/: cannot read file data: Is a directory`);
  expect(err(at('short.so'))).toBe(`Cannot load ${at('short.so')} into server: ${at('short.so')}: file too short`);
  expect(err(at('text.so'))).toBe(`Cannot load ${at('text.so')} into server: ${at('text.so')}: invalid ELF header`);
  expect(err(at('elf32.so'))).toBe(`Cannot load ${at('elf32.so')} into server: ${at('elf32.so')}: wrong ELF class: ELFCLASS32`);
  // a bare name missing under the ServerRoot is looked up in the loader's path
  expect(err('libc.so.6')).toBe(libc());
  expect(err('libnone-featherd.so')).toBe('Cannot load libnone-featherd.so into server: libnone-featherd.so: cannot open shared object file: No such file or directory');
});

test('a module symbol: found, or httpd\'s "Can\'t locate API module structure"', () => {
  const file = libc();
  expect(dsoError({ written: file, fullPath: file, env: {}, symbol: 'malloc' })).toEqual({ file, symbolFound: true });
  expect(dsoError({ written: file, fullPath: file, env: {}, symbol: 'foo_module' })).toEqual({
    error: `Can't locate API module structure \`foo_module' in file ${file}: ${file}: undefined symbol: foo_module`,
  });
  // LD_LIBRARY_PATH comes first
  expect(librarySearchPath({ LD_LIBRARY_PATH: '/opt/a::/opt/b' }).slice(0, 2)).toEqual(['/opt/a', '/opt/b']);
});
