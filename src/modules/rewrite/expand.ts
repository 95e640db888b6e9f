/**
 * do_expand: one pass over a substitution or test string — `\c` gives `c`, `%{VAR}` a
 * variable, `${map:key|default}` a map lookup (key and default expanded themselves), `$N`
 * the RewriteRule's and `%N` the last RewriteCond's back-references (empty ones give nothing),
 * escaped with [B]. Nothing that an expansion produces is expanded again.
 */
import type { RewriteMapDef, RewriteRuleFlags } from './config.js';
import { lookupMap } from './maps.js';
import { lookupVariable, type VarContext } from './vars.js';

/** A regex match to take back-references from. */
export type Backrefs = RegExpExecArray | null;

export interface ExpandContext extends VarContext {
  maps: ReadonlyMap<string, RewriteMapDef>;
  briRR: Backrefs;
  briRC: Backrefs;
}

function closingCurly(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '}' && --depth === 0) return i;
    if (s[i] === '{') depth++;
  }
  return -1;
}

function charInCurlies(s: string, from: number, c: string): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === c && depth === 1) return i;
    if (s[i] === '}' && --depth === 0) return -1;
    if (s[i] === '{') depth++;
  }
  return -1;
}

/** escape_backref with the [B], [BNP], [BCTLS] and [BNE] settings. */
export function escapeBackref(s: string, f: RewriteRuleFlags): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    const ctl = code <= 0x20 || code === 0x7f;
    const wanted = (f.escapeCtls ? ctl : f.escapeChars === undefined) || (f.escapeChars !== undefined && f.escapeChars.includes(c));
    if (wanted && !(f.noEscapeChars?.includes(c) ?? false)) {
      if (/[A-Za-z0-9_]/.test(c)) out += c;
      else if (c === ' ' && !f.escapeNoPlus) out += '+';
      else out += '%' + code.toString(16).padStart(2, '0');
    } else out += c;
  }
  return out;
}

export function expand(input: string, x: ExpandContext, flags?: RewriteRuleFlags): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '\\' && c !== '$' && c !== '%') {
      out += c;
      i++;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= input.length) {
        out += c;
        break;
      }
      out += input[i + 1];
      i += 2;
      continue;
    }
    if (input[i + 1] === '{') {
      const end = closingCurly(input, i + 2);
      if (end < 0) {
        out += input.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '%') {
        out += lookupVariable(x, input.slice(i + 2, end));
        i = end + 1;
        continue;
      }
      const colon = charInCurlies(input, i + 2, ':');
      if (colon < 0) {
        out += input.slice(i, i + 2);
        i += 2;
        continue;
      }
      const name = input.slice(i + 2, colon);
      const body = input.slice(colon + 1, end);
      const bar = charInCurlies(body + '}', 0, '|');
      const keyText = bar >= 0 ? body.slice(0, bar) : body;
      const dflt = bar >= 0 ? body.slice(bar + 1) : undefined;
      let value = lookupMap(x.maps.get(name), expand(keyText, x, flags));
      if (value === null && dflt) value = expand(dflt, x, flags);
      if (value !== null) out += value;
      i = end + 1;
      continue;
    }
    if (/[0-9]/.test(input[i + 1] ?? '')) {
      const n = Number(input[i + 1]);
      const m = c === '$' ? x.briRR : x.briRC;
      const v = m?.[n];
      if (v) out += flags?.escapeBackrefs ? escapeBackref(v, flags) : v;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
