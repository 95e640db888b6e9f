import type { Cmd } from '../../directives/types.js';

/** Whether a module (by LoadModule id) is part of the configuration being walked. */
export function isLoaded(cmd: Cmd, id: string): boolean {
  if (cmd.state.tree.loadedModules.includes(id)) return true;
  return cmd.state.registry.moduleById(id)?.builtin === true;
}
