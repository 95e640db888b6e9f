import type { ConfigSection } from '../../config/ast.js';
import type { Cmd } from '../../directives/types.js';

/** A set of methods: exactly `methods`, or (except) every method but those. HEAD counts as GET. */
interface MethodSet {
  except: boolean;
  methods: Set<string>;
}

const ALL: MethodSet = { except: true, methods: new Set() };

function intersect(a: MethodSet, b: MethodSet): MethodSet {
  if (!a.except && !b.except) return { except: false, methods: new Set([...a.methods].filter((m) => b.methods.has(m))) };
  if (a.except && b.except) return { except: true, methods: new Set([...a.methods, ...b.methods]) };
  const [fin, co] = a.except ? [b, a] : [a, b];
  return { except: false, methods: new Set([...fin.methods].filter((m) => !co.methods.has(m))) };
}

function same(a: MethodSet, b: MethodSet): boolean {
  return a.except === b.except && a.methods.size === b.methods.size && [...a.methods].every((m) => b.methods.has(m));
}

const methodWord = (m: string) => (m === 'HEAD' ? 'GET' : m);

function sectionSet(s: ConfigSection): MethodSet {
  return { except: s.name.toLowerCase() === 'limitexcept', methods: new Set(s.args.filter((w) => w !== '').map(methodWord)) };
}

/** `<Limit>` and `<LimitExcept>` (core.c ap_limit_section). The body is walked in the same context. */
export function limitSection(except: boolean) {
  return (cmd: Cmd, _args: string[], raw: string) => {
    const end = raw.lastIndexOf('>');
    if (end < 0) return `${cmd.entry.name}> directive missing closing '>'`;
    if (raw.slice(0, end).trim() === '') return `${cmd.entry.name}> directive requires additional arguments`;
    const node = cmd.node as ConfigSection;
    const words = node.args.filter((w) => w !== '');
    if (!except && words.includes('TRACE')) return 'TRACE cannot be controlled by <Limit>, see TraceEnable';
    let old = ALL;
    for (const s of cmd.sections) {
      if (/^limit(except)?$/i.test(s.name)) old = intersect(old, sectionSet(s));
    }
    const limited: MethodSet = { except, methods: new Set(words.map(methodWord)) };
    const now = intersect(old, limited);
    if (!now.except && now.methods.size === 0) return `${cmd.entry.name}> directive excludes all methods`;
    if (same(now, old)) return `${cmd.entry.name}> directive specifies methods already excluded`;
    return cmd.walk(node.children, { override: cmd.override });
  };
}
