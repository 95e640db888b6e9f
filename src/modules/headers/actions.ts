/**
 * mod_headers' do_headers_fixup on a header table: set, append, add, merge, setifempty, unset,
 * edit, edit*, echo and note, with format strings (%t %D %{VAR}e …), `expr=` values and the
 * env= / expr= conditions.
 */
import os from 'node:os';
import { evalCondition, evalString, type ExprContext } from '../../expr/index.js';
import { regSub } from '../proxy/runtime/match.js';
import type { RequestContext } from '../../runtime/server.js';
import { sslVar } from '../ssl/vars.js';
import type { HeaderEntry, HeaderValue } from './config.js';

/** A header table in order: [name, value] pairs (apr_table_t). */
export type HeaderTable = [string, string][];

export interface ActionEnv {
  ctx: RequestContext;
  expr: ExprContext;
}

function lower(s: string): string {
  return s.toLowerCase();
}

function tableGet(t: HeaderTable, name: string): string | undefined {
  const n = lower(name);
  return t.find(([k]) => lower(k) === n)?.[1];
}

/** apr_table_set: the first entry's value replaced, the other entries of that name removed. */
function tableSet(t: HeaderTable, name: string, value: string): void {
  const n = lower(name);
  const i = t.findIndex(([k]) => lower(k) === n);
  if (i < 0) {
    t.push([name, value]);
    return;
  }
  t[i] = [t[i][0], value];
  for (let j = t.length - 1; j > i; j--) if (lower(t[j][0]) === n) t.splice(j, 1);
}

function tableUnset(t: HeaderTable, name: string): void {
  const n = lower(name);
  for (let j = t.length - 1; j >= 0; j--) if (lower(t[j][0]) === n) t.splice(j, 1);
}

/** apr_table_merge: `, value` appended to the first entry of that name. */
function tableMerge(t: HeaderTable, name: string, value: string): void {
  const n = lower(name);
  const i = t.findIndex(([k]) => lower(k) === n);
  if (i < 0) t.push([name, value]);
  else t[i] = [t[i][0], `${t[i][1]}, ${value}`];
}

/** The `merge` action's test: is `value` already one of the comma-separated tokens (quotes respected)? */
function hasToken(existing: string, value: string): boolean {
  const tokens: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of existing) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      tokens.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  tokens.push(cur.trim());
  return tokens.includes(value.trim());
}

/** process_tags: the value of a format string or `expr=`. */
export function headerValue(v: HeaderValue | undefined, env: ActionEnv): string {
  if (!v) return '';
  if (v.kind === 'expr') return evalString(v.expr.tree, env.expr);
  let out = '';
  for (const p of v.parts) {
    if (p.kind === 'text') {
      out += p.text;
      continue;
    }
    switch (p.tag) {
      case 't':
        out += `t=${env.ctx.startUs}`;
        break;
      case 'D':
        out += `D=${Math.max(0, Math.floor((performance.timeOrigin + performance.now()) * 1000) - env.ctx.startUs)}`;
        break;
      case 'e':
        out += env.ctx.env.get(p.arg) ?? '(null)';
        break;
      case 's':
        // mod_ssl's variables (ssl_var_lookup); `(null)` for what it does not know.
        out += sslVar(env.ctx, p.arg) ?? '(null)';
        break;
      case 'l': {
        const [a, b, c] = os.loadavg();
        out += `l=${a.toFixed(2)}/${b.toFixed(2)}/${c.toFixed(2)}`;
        break;
      }
      case 'i':
        out += 'i=0';
        break;
      case 'b':
        out += 'b=0';
        break;
    }
  }
  return out;
}

/** Whether the entry's condition holds (env=, env=!, expr=). */
function conditionHolds(e: HeaderEntry, env: ActionEnv): boolean {
  switch (e.when.kind) {
    case 'always':
    case 'early':
      return true;
    case 'env':
      return env.ctx.env.has(e.when.name) !== e.when.negate;
    case 'expr':
      return evalCondition(e.when.expr.tree, env.expr);
  }
}

function editValue(value: string, re: RegExp, replacement: string, all: boolean): string {
  // The directive's regex serves as it is when its g flag fits; shared, so lastIndex starts at 0.
  const r = re.global === all ? re : new RegExp(re.source, re.flags.replace('g', '') + (all ? 'g' : ''));
  r.lastIndex = 0;
  if (!all) {
    const m = r.exec(value);
    if (!m) return value;
    return value.slice(0, m.index) + regSub(replacement, m) + value.slice(m.index + m[0].length);
  }
  let out = '';
  let last = 0;
  for (let m = r.exec(value); m; m = r.exec(value)) {
    out += value.slice(last, m.index) + regSub(replacement, m);
    last = m.index + m[0].length;
    if (m[0].length === 0) r.lastIndex++;
    if (r.lastIndex > value.length) break;
  }
  return out + value.slice(last);
}

/** Side results of applying entries to a response table. */
export interface FixupResult {
  /** Set by `set Content-Type` (ap_set_content_type): the response's one Content-Type. */
  contentType?: string;
}

/**
 * do_headers_fixup: every entry whose condition holds, in order, on `table`; with `early`, only
 * the entries of that pass (`early` ones in post_read, the others later).
 */
export function applyEntries(table: HeaderTable, entries: readonly HeaderEntry[], env: ActionEnv, requestHeaders: HeaderTable, early?: boolean): FixupResult {
  const out: FixupResult = {};
  for (const e of entries) {
    if (early !== undefined && (e.when.kind === 'early') !== early) continue;
    if (!conditionHolds(e, env)) continue;
    const name = e.header;
    switch (e.action) {
      case 'add':
        table.push([name, headerValue(e.value, env)]);
        break;
      case 'append':
        tableMerge(table, name, headerValue(e.value, env));
        break;
      case 'merge': {
        const v = headerValue(e.value, env);
        const have = tableGet(table, name);
        if (have === undefined) table.push([name, v]);
        else if (!hasToken(have, v)) tableMerge(table, name, v);
        break;
      }
      case 'set': {
        const v = headerValue(e.value, env);
        if (lower(name) === 'content-type') out.contentType = v;
        tableSet(table, name, v);
        break;
      }
      case 'setifempty':
        if (tableGet(table, name) === undefined) tableSet(table, name, headerValue(e.value, env));
        break;
      case 'unset':
        tableUnset(table, name);
        break;
      case 'echo':
        if (!e.regex) break;
        for (const [k, v] of requestHeaders) {
          e.regex.lastIndex = 0;
          if (e.regex.test(k)) table.push([k, v]);
        }
        break;
      case 'edit':
      case 'edit*': {
        if (!e.regex) break;
        const repl = headerValue(e.value, env);
        const n = lower(name);
        for (let i = 0; i < table.length; i++) {
          if (lower(table[i][0]) === n) table[i] = [table[i][0], editValue(table[i][1], e.regex, repl, e.action === 'edit*')];
        }
        break;
      }
      case 'note': {
        const have = tableGet(table, name);
        if (have !== undefined) env.ctx.notes.set(headerValue(e.value, env), have);
        break;
      }
    }
  }
  return out;
}
