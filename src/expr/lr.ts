/**
 * A replay of httpd's bison parser for ap_expr, used to produce httpd's exact error text.
 *
 * bison builds an LALR(1) table with default reductions: a state that can reduce does so on
 * any token it cannot shift, so a syntax error is only noticed in a state that can only shift,
 * and the `expecting …` list (at most four names, else none) is that state's shiftable tokens.
 * A state whose only action is a reduction reduces without reading a token; that decides
 * whether a scanner error is seen before or after a name lookup. Both are reproduced here on
 * an LR(0) automaton of the grammar in grammar.ts, which has the same states as bison's.
 *
 * httpd keeps two messages: `error` (bison's syntax error, or "Failed to compile regular
 * expression") and `error2` (the latest scanner or lookup failure, each overwriting the last);
 * the result is `error: error2`, `error`, or `error2`.
 */
import { PRECEDENCE, RULES, type GSymbol, type Rule } from './grammar.js';
import { TERMINALS, type Tok, type TokName } from './lexer.js';
import { lookupBinary, lookupListFunc, lookupStringFunc, lookupUnary, lookupVar, type ParseOptions } from './lookup.js';
import { compileRegex } from '../modules/core/regex.js';

interface Item {
  rule: number;
  dot: number;
}

interface State {
  items: Item[];
  next: Map<GSymbol, number>;
  reduce: number[];
  shifts: TokName[];
}

const TERMINAL_SET = new Set<string>(TERMINALS);

function build(): State[] {
  const rulesOf = new Map<GSymbol, number[]>();
  RULES.forEach((r, i) => {
    const list = rulesOf.get(r.lhs) ?? [];
    list.push(i);
    rulesOf.set(r.lhs, list);
  });
  const key = (items: Item[]): string =>
    items
      .map((it) => `${it.rule}.${it.dot}`)
      .sort()
      .join(' ');
  const closure = (kernel: Item[]): Item[] => {
    const out = [...kernel];
    const seen = new Set(out.map((it) => `${it.rule}.${it.dot}`));
    for (let i = 0; i < out.length; i++) {
      const sym = RULES[out[i].rule].rhs[out[i].dot];
      if (sym === undefined || TERMINAL_SET.has(sym)) continue;
      for (const r of rulesOf.get(sym) ?? []) {
        const k = `${r}.0`;
        if (!seen.has(k)) {
          seen.add(k);
          out.push({ rule: r, dot: 0 });
        }
      }
    }
    return out;
  };
  const states: State[] = [];
  const index = new Map<string, number>();
  const add = (kernel: Item[]): number => {
    const k = key(kernel);
    const found = index.get(k);
    if (found !== undefined) return found;
    const items = closure(kernel);
    const st: State = { items, next: new Map(), reduce: [], shifts: [] };
    states.push(st);
    index.set(k, states.length - 1);
    return states.length - 1;
  };
  add([{ rule: 0, dot: 0 }]);
  for (let s = 0; s < states.length; s++) {
    const st = states[s];
    const groups = new Map<GSymbol, Item[]>();
    for (const it of st.items) {
      const sym = RULES[it.rule].rhs[it.dot];
      if (sym === undefined) {
        st.reduce.push(it.rule);
        continue;
      }
      const g = groups.get(sym) ?? [];
      g.push({ rule: it.rule, dot: it.dot + 1 });
      groups.set(sym, g);
    }
    for (const [sym, kernel] of groups) {
      st.next.set(sym, add(kernel));
      if (TERMINAL_SET.has(sym)) st.shifts.push(sym as TokName);
    }
    st.shifts.sort((a, b) => TERMINALS.indexOf(a) - TERMINALS.indexOf(b));
    if (st.reduce.length > 1) throw new Error('ap_expr grammar: reduce/reduce conflict');
  }
  return states;
}

const STATES = build();

/** Precedence of a rule: that of its last terminal with a precedence. */
function rulePrec(rule: Rule): number | undefined {
  for (let i = rule.rhs.length - 1; i >= 0; i--) {
    const p = PRECEDENCE[rule.rhs[i] as TokName];
    if (p !== undefined) return p;
  }
  return undefined;
}

/** A semantic value: null when httpd's action returned NULL (a failed lookup). */
type Val = { tok?: Tok; constant?: string } | null;

export interface Diagnosis {
  /** True when httpd would accept the expression. */
  ok: boolean;
  /** httpd's message when it would not. */
  message?: string;
  /** The scanner hit a state with no rule: httpd prints "flex scanner jammed" and exits. */
  fatal?: boolean;
}

/** Run the parser over scanned tokens and report as httpd would. */
export function diagnose(toks: Tok[], opts: ParseOptions): Diagnosis {
  const stack: number[] = [0];
  const vals: Val[] = [null];
  let pos = 0;
  let la: Tok | undefined;
  let error: string | undefined;
  let error2: string | undefined;
  const finish = (ok: boolean): Diagnosis => {
    if (error !== undefined) return { ok: false, message: error2 !== undefined ? `${error}: ${error2}` : error };
    if (error2 !== undefined) return { ok: false, message: error2 };
    return ok ? { ok: true } : { ok: false, message: 'syntax error' };
  };
  for (let guard = 0; guard < 1_000_000; guard++) {
    const st = STATES[stack[stack.length - 1]];
    let reduceRule: number | undefined;
    if (st.reduce.length > 0 && st.shifts.length === 0) {
      reduceRule = st.reduce[0];
    } else {
      if (la === undefined) {
        la = toks[Math.min(pos, toks.length - 1)];
        pos++;
        if (la.name === 'JAM') return { ok: false, message: 'flex scanner jammed', fatal: true };
        if (la.name === 'T_ERROR') error2 = la.error;
      }
      const name = la.name as TokName;
      const target = st.next.get(name);
      if (target !== undefined) {
        let shift = true;
        if (st.reduce.length > 0) {
          const rp = rulePrec(RULES[st.reduce[0]]);
          const tp = PRECEDENCE[name];
          if (rp !== undefined && tp !== undefined && rp > tp) shift = false;
        }
        if (shift) {
          if (name === '$end') return finish(true);
          stack.push(target);
          vals.push({ tok: la });
          la = undefined;
          continue;
        }
        reduceRule = st.reduce[0];
      } else if (st.reduce.length > 0) {
        reduceRule = st.reduce[0];
      } else {
        const expected = st.shifts;
        error =
          expected.length > 0 && expected.length <= 4
            ? `syntax error, unexpected ${name}, expecting ${expected.join(' or ')}`
            : `syntax error, unexpected ${name}`;
        return finish(false);
      }
    }
    const rule = RULES[reduceRule];
    const n = rule.rhs.length;
    const args = vals.splice(vals.length - n, n);
    stack.splice(stack.length - n, n);
    let val: Val = {};
    switch (rule.action) {
      case 'abort':
        return finish(false);
      case 'string':
        val = { constant: args[0]?.tok?.value ?? '' };
        break;
      case 'empty_string':
        val = { constant: '' };
        break;
      case 'pass':
        val = args[0];
        break;
      case 'quoted':
        val = args[1];
        break;
      case 'var':
        val = report(lookupVar(args[1]?.tok?.value ?? '', opts));
        break;
      case 'varfunc':
        val = report(lookupStringFunc(args[1]?.tok?.value ?? '', opts));
        break;
      case 'strfunc':
        val = report(lookupStringFunc(args[0]?.tok?.value ?? '', opts));
        break;
      case 'lstfunc':
        val = report(lookupListFunc(args[0]?.tok?.value ?? '', opts));
        break;
      case 'unary':
        val = report(lookupUnary(args[0]?.tok?.value ?? '', args[1]?.constant, opts));
        break;
      case 'binary':
        val = report(lookupBinary(args[1]?.tok?.value ?? '', args[2]?.constant, opts));
        break;
      case 'regex':
      case 'regex_i':
        if (!compileRegex(args[0]?.tok?.value ?? '', { icase: rule.action === 'regex_i' })) {
          error = 'Failed to compile regular expression';
          return finish(false);
        }
        break;
      default:
        break;
    }
    const below = STATES[stack[stack.length - 1]];
    const target = below.next.get(rule.lhs);
    if (target === undefined) throw new Error(`ap_expr automaton: no goto on ${rule.lhs}`);
    stack.push(target);
    vals.push(val);
  }
  throw new Error('ap_expr automaton: no progress');

  function report(r: { ok: true } | { ok: false; error: string }): Val {
    if (r.ok) return {};
    error2 = r.error;
    return null;
  }
}
