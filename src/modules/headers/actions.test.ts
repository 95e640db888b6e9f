/** mod_headers actions on a header table (end-to-end behaviour is in conformance/runtime/headers-*). */
import type { ExprContext } from '../../expr/index.js';
import type { RequestContext } from '../../runtime/server.js';
import { applyEntries, headerValue, type ActionEnv, type HeaderTable } from './actions.js';
import type { HeaderAction, HeaderEntry } from './config.js';
import { parseHeaderFormat } from './format.js';

const loc = { file: 't.conf', line: 1, column: 1 };

function entry(action: HeaderAction, header: string, value?: string, regex?: RegExp, env?: string): HeaderEntry {
  const e: HeaderEntry = { directive: 'Header', table: 'onsuccess', action, header, when: env ? { kind: 'env', name: env.replace(/^!/, ''), negate: env.startsWith('!') } : { kind: 'always' }, loc };
  if (value !== undefined) {
    const f = parseHeaderFormat(value);
    if ('error' in f) throw new Error(f.error);
    e.value = { kind: 'format', parts: f.parts };
  }
  if (regex) e.regex = regex;
  return e;
}

function env(vars: Record<string, string> = {}): ActionEnv {
  const ctx = { env: new Map(Object.entries(vars)), notes: new Map<string, string>(), startUs: 1_000_000, req: { socket: {} }, data: new Map() } as unknown as RequestContext;
  return { ctx, expr: {} as ExprContext };
}

test('merge adds a token only once, quoted strings included', () => {
  const t: HeaderTable = [['Cache-Control', 'private, "a,b"']];
  applyEntries(t, [entry('merge', 'Cache-Control', 'private'), entry('merge', 'Cache-Control', '"a,b"'), entry('merge', 'Cache-Control', 'no-store')], env(), []);
  expect(t).toEqual([['Cache-Control', 'private, "a,b", no-store']]);
});

test('edit changes the first match of every value, edit* all matches', () => {
  const t: HeaderTable = [['X', 'aXa'], ['x', 'a']];
  applyEntries(t, [entry('edit', 'X', 'b', /a/)], env(), []);
  expect(t).toEqual([['X', 'bXa'], ['x', 'b']]);
  applyEntries(t, [entry('edit*', 'X', '[$0]', /[ab]/)], env(), []);
  expect(t).toEqual([['X', '[b]X[a]'], ['x', '[b]']]);
});

test('set replaces every value, setifempty and unset, add keeps duplicates, echo copies request headers', () => {
  const t: HeaderTable = [['A', '1'], ['a', '2']];
  const r = applyEntries(
    t,
    [entry('set', 'A', '3'), entry('setifempty', 'A', 'no'), entry('setifempty', 'B', 'yes'), entry('add', 'C', 'x'), entry('add', 'C', 'y'), entry('unset', 'B'), entry('echo', '', undefined, /^X-E/), entry('set', 'Content-Type', 'text/x')],
    env(),
    [['X-Echo', 'e'], ['Other', 'o']],
  );
  expect(t).toEqual([['A', '3'], ['C', 'x'], ['C', 'y'], ['X-Echo', 'e'], ['Content-Type', 'text/x']]);
  expect(r.contentType).toBe('text/x');
});

test('env= conditions and format tags', () => {
  const t: HeaderTable = [];
  const e = env({ ON: '1', V: 'val' });
  applyEntries(t, [entry('set', 'Yes', 'y', undefined, 'ON'), entry('set', 'No', 'n', undefined, '!ON'), entry('set', 'F', '%{V}e|%{NONE}e|%t|%%')], e, []);
  expect(t).toEqual([['Yes', 'y'], ['F', 'val|(null)|t=1000000|%']]);
  const d = headerValue({ kind: 'format', parts: [{ kind: 'tag', tag: 'D', arg: '' }] }, e);
  expect(d).toMatch(/^D=\d+$/);
});
