/**
 * What mod_so's dso_load and apr_dso_sym would report for a shared object, without loading it:
 * featherd cannot link Apache's modules in, but it can tell, as httpd does, that a LoadModule or
 * LoadFile names a file that is missing or is no shared object, or that the object does not
 * define the module's symbol.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strerror } from '../util/fs.js';

/** The directories the dynamic loader searches for a name without '/' (ld.so defaults). */
export function librarySearchPath(env: Record<string, string | undefined>): string[] {
  const multiarch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : process.arch === 'x64' ? 'x86_64-linux-gnu' : undefined;
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '');
  dirs.push('/usr/local/lib');
  if (multiarch) dirs.push(`/lib/${multiarch}`, `/usr/lib/${multiarch}`);
  dirs.push('/lib', '/usr/lib', '/lib64', '/usr/lib64');
  return dirs;
}

/** A shared object that would open, or dlerror()'s text for one that would not. */
type Opened = { ok: true; file: string; data: Buffer } | { ok: false; error: string };

/** dlopen()'s checks of the ELF header (glibc's messages). */
function openObject(file: string): Opened {
  let data: Buffer;
  try {
    if (fs.statSync(file).isDirectory()) return { ok: false, error: `${file}: cannot read file data: Is a directory` };
    data = fs.readFileSync(file);
  } catch (e) {
    return { ok: false, error: `${file}: cannot open shared object file: ${strerror(e)}` };
  }
  if (data.length < 64) return { ok: false, error: `${file}: file too short` };
  if (data[0] !== 0x7f || data[1] !== 0x45 || data[2] !== 0x4c || data[3] !== 0x46) return { ok: false, error: `${file}: invalid ELF header` };
  if (data[4] !== 2) return { ok: false, error: `${file}: wrong ELF class: ELFCLASS32` };
  return { ok: true, file, data };
}

/**
 * Whether a 64-bit ELF object defines `symbol` in its dynamic symbol table; undefined when the
 * table cannot be read (no section headers), so the answer is unknown.
 */
export function definesSymbol(data: Buffer, symbol: string): boolean | undefined {
  const le = data[5] !== 2;
  const u16 = (o: number) => (le ? data.readUInt16LE(o) : data.readUInt16BE(o));
  const u32 = (o: number) => (le ? data.readUInt32LE(o) : data.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? data.readBigUInt64LE(o) : data.readBigUInt64BE(o));
  try {
    const shoff = u64(0x28);
    const shentsize = u16(0x3a);
    const shnum = u16(0x3c);
    if (shoff === 0 || shnum === 0 || shentsize < 64) return undefined;
    const section = (i: number) => {
      const o = shoff + i * shentsize;
      return { type: u32(o + 4), offset: u64(o + 0x18), size: u64(o + 0x20), link: u32(o + 0x28), entsize: u64(o + 0x38) };
    };
    let sawTable = false;
    for (let i = 0; i < shnum; i++) {
      const sym = section(i);
      if (sym.type !== 11) continue; // SHT_DYNSYM
      sawTable = true;
      const strings = section(sym.link);
      const entsize = sym.entsize || 24;
      for (let o = sym.offset; o + entsize <= sym.offset + sym.size; o += entsize) {
        const shndx = u16(o + 6);
        if (shndx === 0) continue; // undefined here, imported from elsewhere
        const start = strings.offset + u32(o);
        const end = data.indexOf(0, start);
        if (end < 0) continue;
        if (end - start === symbol.length && data.toString('latin1', start, end) === symbol) return true;
      }
    }
    return sawTable ? false : undefined;
  } catch {
    // a truncated or odd object: offsets outside the file
    return undefined;
  }
}

export interface DsoCheck {
  /** The name as written in the directive. */
  written: string;
  /** `written` made absolute against the ServerRoot (ap_server_root_relative). */
  fullPath: string;
  env: Record<string, string | undefined>;
  /** LoadModule: the module structure's symbol (`foo_module`). */
  symbol?: string;
}

/**
 * httpd's error for the object, or the file the loader would open. `symbolFound` is true when
 * the object defines `symbol`, absent when that could not be checked.
 */
export function dsoError(c: DsoCheck): { error: string } | { file: string; symbolFound?: boolean } {
  // ap_server_root_relative keeps a trailing '/'.
  const full = c.written.endsWith('/') && !c.fullPath.endsWith('/') ? `${c.fullPath}/` : c.fullPath;
  let opened = openObject(full);
  let used = full;
  if (!opened.ok && !c.written.includes('/')) {
    // dso_load retries a bare name with the loader's search path.
    used = c.written;
    const found = librarySearchPath(c.env)
      .map((d) => path.join(d, c.written))
      .find((f) => fs.existsSync(f));
    opened = found ? openObject(found) : { ok: false, error: `${c.written}: cannot open shared object file: No such file or directory` };
  }
  if (!opened.ok) return { error: `Cannot load ${c.written} into server: ${opened.error}` };
  if (c.symbol === undefined) return { file: opened.file };
  const has = definesSymbol(opened.data, c.symbol);
  if (has === false) {
    return { error: `Can't locate API module structure \`${c.symbol}' in file ${used}: ${opened.file}: undefined symbol: ${c.symbol}` };
  }
  return has === undefined ? { file: opened.file } : { file: opened.file, symbolFound: true };
}
