import type { Cmd } from '../../directives/types.js';

/** `AddOutputFilterByType filter[;filter…] type …` (TAKE_ARGV). */
export function addOutputFilterByType(_cmd: Cmd, args: string[]) {
  if (args.length < 2) return 'AddOutputFilterByType requires at least two arguments';
  return undefined;
}
