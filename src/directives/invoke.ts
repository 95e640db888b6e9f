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
  const handler = entry.handler;
  const raw = node.rawArgs;
  const w = node.args;
  const help = entry.help ? `, ${entry.help}` : '';
  const call = (args: string[]): string | ConfigError | undefined => {
    if (!handler) return undefined;
    const r = handler(cmd, args, raw);
    if (r === undefined || r === null) return undefined;
    return r;
  };
  const has = (i: number) => w.length > i && w[i] !== '';
  switch (entry.args) {
    case 'RAW_ARGS':
    case 'TAKE_ARGV':
      return call(w);
    case 'NO_ARGS':
      if (w.length > 0) return `${entry.name} takes no arguments`;
      return call([]);
    case 'TAKE1':
      if (!has(0) || w.length > 1) return `${entry.name} takes one argument${help}`;
      return call([w[0]]);
    case 'TAKE2':
      if (!has(0) || !has(1) || w.length > 2) return `${entry.name} takes two arguments${help}`;
      return call([w[0], w[1]]);
    case 'TAKE12':
      if (!has(0) || w.length > 2) return `${entry.name} takes 1-2 arguments${help}`;
      return call(has(1) ? [w[0], w[1]] : [w[0]]);
    case 'TAKE3':
      if (!has(0) || !has(1) || !has(2) || w.length > 3) return `${entry.name} takes three arguments${help}`;
      return call([w[0], w[1], w[2]]);
    case 'TAKE23':
      if (!has(0) || !has(1) || w.length > 3) return `${entry.name} takes two or three arguments${help}`;
      return call(has(2) ? [w[0], w[1], w[2]] : [w[0], w[1]]);
    case 'TAKE123':
      if (!has(0) || w.length > 3) return `${entry.name} takes one, two or three arguments${help}`;
      return call(w.slice(0, 3).filter((_, i) => has(i) || i === 0));
    case 'TAKE13':
      if (!has(0) || (has(1) && !has(2)) || w.length > 3) return `${entry.name} takes one or three arguments${help}`;
      return call(has(1) ? [w[0], w[1], w[2]] : [w[0]]);
    case 'ITERATE': {
      if (!has(0)) return `${entry.name} requires at least one argument${help}`;
      for (const word of w) {
        if (word === '') break; // httpd stops at the first empty word
        const r = call([word]);
        if (r !== undefined) return r;
      }
      return undefined;
    }
    case 'ITERATE2': {
      if (!has(0) || w.length < 2) return `${entry.name} requires at least two arguments${help}`;
      for (const word of w.slice(1)) {
        if (word === '') break;
        const r = call([w[0], word]);
        if (r !== undefined) return r;
      }
      return undefined;
    }
    case 'FLAG': {
      const v = w[0]?.toLowerCase();
      if (w.length < 1 || (v !== 'on' && v !== 'off')) return `${entry.name} must be On or Off`;
      return call([v === 'on' ? 'On' : 'Off']);
    }
  }
}
