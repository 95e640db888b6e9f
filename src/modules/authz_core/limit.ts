import type { Cmd } from '../../directives/types.js';

/**
 * The methods a directive applies to (httpd's cmd->limited): set by an enclosing `<Limit>`
 * (only those methods) or `<LimitExcept>` (all but those). `undefined` means every method.
 */
export interface MethodLimit {
  methods: string[];
  except: boolean;
}

/** The method restriction in force for a directive, from its enclosing sections. */
export function methodLimit(cmd: Cmd): MethodLimit | undefined {
  for (let i = cmd.sections.length - 1; i >= 0; i--) {
    const s = cmd.sections[i];
    const n = s.name.toLowerCase();
    if (n === 'limit' || n === 'limitexcept') {
      return { methods: s.args.map((m) => m.replace(/>$/, '')).filter((m) => m !== ''), except: n === 'limitexcept' };
    }
  }
  return undefined;
}

/** Whether a request method falls under a restriction (GET covers HEAD, as in httpd). */
export function limitApplies(limit: MethodLimit | undefined, method: string): boolean {
  if (!limit) return true;
  const m = method === 'HEAD' ? 'GET' : method;
  const listed = limit.methods.includes(m);
  return limit.except ? !listed : listed;
}
