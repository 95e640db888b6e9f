import fs from 'node:fs';

/** Whether stat() finds anything at `p` (apr_stat succeeding). */
export function pathExists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether `p` is a directory (following symbolic links). */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
