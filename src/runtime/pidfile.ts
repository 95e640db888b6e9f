/** The PidFile: written once the server listens, removed when it stops (httpd's ap_log_pid / ap_remove_pid). */
import fs from 'node:fs';
import { aprStatus } from '../util/fs.js';

/**
 * Write this process's id to `file`; httpd's AH00099/AH00100 text when that fails. As in
 * httpd, a missing directory is not made.
 */
export function writePidFile(file: string, argv0: string): string | undefined {
  try {
    fs.writeFileSync(file, `${process.pid}\n`);
    return undefined;
  } catch (e) {
    return `${aprStatus(e)}: AH00099: could not create ${file}\nAH00100: ${argv0}: could not log pid to file ${file}`;
  }
}

/** Remove `file` if it still names this process (another server may have written it since). */
export function removeOwnPidFile(file: string): void {
  try {
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    // no PidFile left
  }
}
