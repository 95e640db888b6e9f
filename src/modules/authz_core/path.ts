import path from 'node:path';
import type { Cmd } from '../../directives/types.js';

/** ap_server_root_relative: an absolute path, relative ones taken from ServerRoot. */
export function serverRootRelative(cmd: Cmd, file: string): string {
  return path.isAbsolute(file) ? path.normalize(file) : path.resolve(cmd.state.tree.serverRoot, file);
}
