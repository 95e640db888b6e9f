import type { ConfigError } from '../util/diagnostics.js';
import type { Cmd } from './types.js';
import { EXEC_ON_READ } from './types.js';

/**
 * httpd's invoke_cmd (server/config.c): check the context mask and the argument shape, then
 * call the handler. Returns undefined on success, an error message, or a located error that
 * a nested walk already produced.
 */
export function invoke(cmd: Cmd, parentName: string | undefined): string | ConfigError | undefined {
  const { entry, node } = cmd;
  if (entry.contexts & EXEC_ON_READ) return undefined; // handled by the reader
  if ((cmd.override & entry.contexts) === 0) {
    return parentName ? `${entry.name} not allowed in ${parentName}> context` : `${entry.name} not allowed here`;
  }
  const raw = node.rawArgs;
  const w = node.args;
  const n = w.length;
  switch (entry.args) {
    case 'RAW_ARGS':
    case 'TAKE_ARGV':
      return call(cmd, w, raw);
    case 'NO_ARGS':
      if (n > 0) return `${entry.name} takes no arguments`;
      return call(cmd, [], raw);
    case 'TAKE1':
      if (!has(w, 0) || n > 1) return `${entry.name} takes one argument${help(entry)}`;
      return call(cmd, [w[0]], raw);
    case 'TAKE2':
      if (!has(w, 0) || !has(w, 1) || n > 2) return `${entry.name} takes two arguments${help(entry)}`;
      return call(cmd, [w[0], w[1]], raw);
    case 'TAKE12':
      if (!has(w, 0) || n > 2) return `${entry.name} takes 1-2 arguments${help(entry)}`;
      return call(cmd, has(w, 1) ? [w[0], w[1]] : [w[0]], raw);
    case 'TAKE3':
      if (!has(w, 0) || !has(w, 1) || !has(w, 2) || n > 3) return `${entry.name} takes three arguments${help(entry)}`;
      return call(cmd, [w[0], w[1], w[2]], raw);
    case 'TAKE23':
      if (!has(w, 0) || !has(w, 1) || n > 3) return `${entry.name} takes two or three arguments${help(entry)}`;
      return call(cmd, has(w, 2) ? [w[0], w[1], w[2]] : [w[0], w[1]], raw);
    case 'TAKE123':
      if (!has(w, 0) || n > 3) return `${entry.name} takes one, two or three arguments${help(entry)}`;
      return call(
        cmd,
        w.slice(0, 3).filter((_, i) => has(w, i) || i === 0),
        raw,
      );
    case 'TAKE13':
      if (!has(w, 0) || (has(w, 1) && !has(w, 2)) || n > 3) return `${entry.name} takes one or three arguments${help(entry)}`;
      return call(cmd, has(w, 1) ? [w[0], w[1], w[2]] : [w[0]], raw);
    case 'ITERATE': {
      if (!has(w, 0)) return `${entry.name} requires at least one argument${help(entry)}`;
      for (const word of w) {
        if (word === '') break; // httpd stops at the first empty word
        const r = call(cmd, [word], raw);
        if (r !== undefined) return r;
      }
      return undefined;
    }
    case 'ITERATE2': {
      if (!has(w, 0) || n < 2) return `${entry.name} requires at least two arguments${help(entry)}`;
      for (const word of w.slice(1)) {
        if (word === '') break;
        const r = call(cmd, [w[0], word], raw);
        if (r !== undefined) return r;
      }
      return undefined;
    }
    case 'FLAG': {
      const v = w[0]?.toLowerCase();
      if (n < 1 || (v !== 'on' && v !== 'off')) return `${entry.name} must be On or Off`;
      return call(cmd, [v === 'on' ? 'On' : 'Off'], raw);
    }
  }
}

/** Whether word i is present and not empty (httpd treats "" as missing). */
function has(w: string[], i: number): boolean {
  return w.length > i && w[i] !== '';
}

/** `, help` for argument-count messages. */
function help(entry: Cmd['entry']): string {
  return entry.help ? `, ${entry.help}` : '';
}

function call(cmd: Cmd, args: string[], raw: string): string | ConfigError | undefined {
  const handler = cmd.entry.handler;
  if (!handler) return undefined;
  const r = handler(cmd, args, raw);
  if (r === undefined || r === null) return undefined;
  return r;
}
