import type { Cmd } from '../../directives/types.js';

/** `ForceLanguagePriority None | Prefer [Fallback]` (ITERATE; words of one line are checked together). */
export function forceLanguagePriority(cmd: Cmd, [arg]: string[]) {
  const a = arg.toLowerCase();
  if (!['none', 'prefer', 'fallback'].includes(a)) return `Invalid ForceLanguagePriority option ${arg}`;
  const words = cmd.node.args.map((w) => w.toLowerCase());
  const idx = words.indexOf(a);
  const before = words.slice(0, idx);
  if (a === 'none' && before.some((w) => w === 'prefer' || w === 'fallback')) {
    return `Cannot combine ForceLanguagePriority options with None`;
  }
  if (a !== 'none' && before.includes('none')) return `Cannot combine ForceLanguagePriority options None and ${arg}`;
  return undefined;
}
