import fs from 'node:fs';
import type { Cmd } from '../../directives/types.js';
import { GLOBAL_ONLY } from '../../directives/types.js';

export function unixdGlobal(cmd: Cmd) {
  return cmd.checkContext(GLOBAL_ONLY);
}

/** `ChrootDir dir`: must be an existing directory. */
export function chrootDir(cmd: Cmd, [arg]: string[]) {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  try {
    if (fs.statSync(arg).isDirectory()) return undefined;
  } catch {
    // fall through
  }
  return 'ChrootDir must be a valid directory';
}
