import { setenvifOf } from './module.js';
import { bodyLine, cleanup, loadSnippet } from '../core/testing.js';

/** Messages apache2 -t (2.4.71) printed with mod_setenvif loaded. */
const errors: [string, string][] = [
  ['SetEnvIf', 'Missing header-field name for SetEnvIf'],
  ['SetEnvIf Remote_Addr', 'Missing regular expression for SetEnvIf'],
  ['SetEnvIf Remote_Addr ^1', 'Missing envariable expression for SetEnvIf'],
  ['SetEnvIf Remote_Addr ( x', 'SetEnvIf regex could not be compiled.'],
  ['SetEnvIf (X foo bar', 'SetEnvIfHeader name regex could not be compiled.'],
  ['BrowserMatch', 'Missing regular expression for BrowserMatch'],
  ['BrowserMatch x', 'Missing envariable expression for BrowserMatch'],
  ['BrowserMatch ( y', 'BrowserMatch regex could not be compiled.'],
  ['SetEnvIfExpr', 'Missing expression for SetEnvIfExpr'],
  ['SetEnvIfExpr "true"', 'Missing envariable expression for SetEnvIfExpr'],
  ['SetEnvIfExpr "%{X} ==" y', 'Could not parse expression "%{X} ==": syntax error, unexpected $end: Variable \'X\' does not exist'],
];

test.each(errors.map(([body, message]) => ({ body, message })))('$body', ({ body, message }) => {
  const opts = { modules: ['setenvif'] };
  const s = loadSnippet(body, opts);
  expect(s.errorText).toBe(`AH00526: Syntax error on line ${bodyLine(opts)} of ${s.file}:\n${message}`);
  cleanup(s);
});

test('rules keep attribute, compiled pattern and variable operations in order', () => {
  const s = loadSnippet(
    [
      'SetEnvIf Remote_Addr ^10\\. internal x=1 !y',
      'SetEnvIfNoCase User-Agent ^curl is_curl',
      'SetEnvIf ^X-.* foo bar',
      'BrowserMatch "MSIE [2-5]" nokeepalive downgrade-1.0 force-response-1.0',
      'SetEnvIfExpr "-R \'10.0.0.0/8\'" private',
    ].join('\n'),
    { modules: ['setenvif'] },
  );
  expect(s.errorText).toBeUndefined();
  const rules = setenvifOf(s.result.state!.mainServer.dirConfigs)!.rules;
  expect(rules).toHaveLength(5);
  expect(rules[0]).toMatchObject({ special: 'remote_addr', vars: [{ name: 'internal', value: '1' }, { name: 'x', value: '1' }, { name: 'y', value: null }] });
  expect(rules[0].regex!.test('10.1.2.3')).toBe(true);
  expect(rules[1].regex!.test('CURL/8')).toBe(true);
  expect(rules[2].attributeRegex!.test('x-forwarded-for')).toBe(true);
  expect(rules[3]).toMatchObject({ directive: 'BrowserMatch', attribute: 'User-Agent' });
  expect(rules[3].vars.map((v) => v.name)).toEqual(['nokeepalive', 'downgrade-1.0', 'force-response-1.0']);
  expect(rules[4]).toMatchObject({ expr: "-R '10.0.0.0/8'", vars: [{ name: 'private', value: '1' }] });
  cleanup(s);
});
