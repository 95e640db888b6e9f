import { logConfigOf } from './module.js';
import { parseLogFormat } from './format.js';
import { bodyLine, cleanup, loadSnippet } from '../core/testing.js';

/** Messages apache2 -t (2.4.71) printed (mod_log_config is built in). */
const errors: [string, number, string][] = [
  ['LogFormat "%h %Z" x', 1, 'Unrecognized LogFormat directive %Z'],
  ['LogFormat "%{" x', 1, 'Ran off end of LogFormat parsing args to some directive'],
  ['LogFormat "%{x" x', 1, 'Ran off end of LogFormat parsing args to some directive'],
  ['LogFormat "%" x', 1, 'Ran off end of LogFormat parsing args to some directive'],
  ['LogFormat "%h" x y', 1, 'LogFormat takes 1-2 arguments, a log format string (see docs) and an optional format name'],
  ['CustomLog /tmp/x.log', 1, 'CustomLog takes two or three arguments, a file name, a custom log format string or format name, and an optional "env=" or "expr=" clause (see docs)'],
  ['CustomLog /tmp/x.log common bogus', 1, 'error in condition clause'],
  ['CustomLog /tmp/x.log common "expr=%{X} =="', 1, "syntax error, unexpected $end: Variable 'X' does not exist"],
  ['CustomLog /tmp/x.log "%Z"', 1, 'Unrecognized LogFormat directive %Z'],
  ['<VirtualHost *:80>\nGlobalLog /tmp/x.log common\n</VirtualHost>', 2, 'GlobalLog cannot occur within <VirtualHost> section'],
];

test.each(errors.map(([body, line, message]) => ({ body, line, message })))('$body', ({ body, line, message }) => {
  const s = loadSnippet(body);
  expect(s.errorText).toBe(`AH00526: Syntax error on line ${bodyLine() + line - 1} of ${s.file}:\n${message}`);
  cleanup(s);
});

test('formats and logs are stored per server', () => {
  const s = loadSnippet(
    [
      'LogFormat "%h %l %u %t \\"%r\\" %>s %O" common',
      'LogFormat "%v:%p %h"',
      'CustomLog logs/access.log common env=!dontlog',
      'TransferLog logs/transfer.log',
      'GlobalLog logs/all.log "%h %{ms}T" "expr=%{REQUEST_STATUS} >= 500"',
      'BufferedLogs On',
      '<VirtualHost *:80>',
      'CustomLog logs/vhost.log "%!200,304h %400,501{User-agent}i %{%Y}t %<s %^ti %%"',
      '</VirtualHost>',
    ].join('\n'),
  );
  expect(s.errorText).toBeUndefined();
  const st = s.result.state!;
  const main = logConfigOf(st.mainServer)!;
  expect([...main.formats.keys()]).toEqual(['common']);
  expect(main.defaultFormat?.format).toBe('%v:%p %h');
  expect(main.bufferedLogs).toBe(true);
  expect(main.logs.map((l) => [l.target, l.format, l.env, l.expr, l.global])).toEqual([
    ['logs/access.log', 'common', { name: 'dontlog', negate: true }, undefined, false],
    ['logs/transfer.log', undefined, undefined, undefined, false],
    ['logs/all.log', '%h %{ms}T', undefined, '%{REQUEST_STATUS} >= 500', true],
  ]);
  const v = logConfigOf(st.vhosts[0])!;
  expect(v.logs[0].items).toEqual([
    { kind: 'field', key: 'h', arg: '', statuses: [200, 304], negate: true },
    { kind: 'literal', text: ' ' },
    { kind: 'field', key: 'i', arg: 'User-agent', statuses: [400, 501], negate: false },
    { kind: 'literal', text: ' ' },
    { kind: 'field', key: 't', arg: '%Y', statuses: [], negate: false },
    { kind: 'literal', text: ' ' },
    { kind: 'field', key: 's', arg: '', statuses: [], negate: false, wantOriginal: true },
    { kind: 'literal', text: ' ' },
    { kind: 'field', key: '^ti', arg: '', statuses: [], negate: false },
    { kind: 'literal', text: ' ' },
    { kind: 'literal', text: '%' },
  ]);
  cleanup(s);
});

test('literal text keeps backslash escapes as mod_log_config does', () => {
  expect(parseLogFormat('a\\tb\\n')).toEqual([{ kind: 'literal', text: 'a\tb\n' }]);
});
