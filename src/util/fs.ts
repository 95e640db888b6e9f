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

/** strerror text for the error codes file operations give (the code itself for others). */
export function strerror(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'ENOTDIR':
      return 'Not a directory';
    case 'EISDIR':
      return 'Is a directory';
    case 'ELOOP':
      return 'Too many levels of symbolic links';
    case 'EMFILE':
      return 'Too many open files';
    case 'ENAMETOOLONG':
      return 'File name too long';
    case 'EBADF':
      return 'Bad file descriptor';
    case 'EPERM':
      return 'Operation not permitted';
    case 'EROFS':
      return 'Read-only file system';
    default:
      return code ?? String(err);
  }
}

/**
 * An error as APR prints a status before a message: `(2)No such file or directory` (the errno,
 * then strerror's text; errno 2 when Node gives none).
 */
export function aprStatus(err: unknown): string {
  const errno = (err as { errno?: number } | null)?.errno;
  return `(${errno ? Math.abs(errno) : 2})${strerror(err)}`;
}
