import type { Cmd } from '../../directives/types.js';
import { atoi } from '../core/server-directives.js';

export function range(min: number, max: number, message: string) {
  return (_cmd: Cmd, [arg]: string[]) => {
    const n = atoi(arg);
    return n < min || n > max ? message : undefined;
  };
}

export function positive(message: string) {
  return (_cmd: Cmd, [arg]: string[]) => (atoi(arg) <= 0 ? message : undefined);
}

export function filterNote(_cmd: Cmd, args: string[]) {
  if (args.length === 2 && !['input', 'output', 'ratio'].includes(args[0].toLowerCase())) return `Unknown note type ${args[0]}`;
  return undefined;
}

export function alterEtag(_cmd: Cmd, [arg]: string[]) {
  if (!['nochange', 'addsuffix', 'remove'].includes(arg.toLowerCase())) {
    return "DeflateAlterETAG accepts only 'NoChange', 'AddSuffix', and 'Remove'";
  }
  return undefined;
}

export function inflateLimit(_cmd: Cmd, [arg]: string[]) {
  return /^\d+$/.test(arg) ? undefined : 'DeflateInflateLimitRequestBody requires a non-negative integer.';
}
