import { walkText } from '../authz_core/testing.js';
import { headersConfig } from './module.js';

const MODS = ['headers_module'];
const err = (body: string) => walkText(`<Location />\n${body}\n</Location>`, MODS).error;
const FIRST = "first argument must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'.";

describe('Header / RequestHeader', () => {
  test.each([
    ['Header', FIRST],
    ['Header set', 'Header requires three arguments'],
    ['Header set X', 'Header requires three arguments'],
    ['Header foo X y', FIRST],
    ['Header set X y z w v', 'Header has too many arguments'],
    ['RequestHeader set X y z w v', 'RequestHeader has too many arguments'],
    ['Header unset X y z', 'header unset takes two arguments'],
    ['Header echo X y z', 'Header echo takes two arguments'],
    ['RequestHeader echo X', 'Header echo only valid on Header directives'],
    ['RequestHeader note X y', "RequestHeader does not support the 'note' action"],
    ['Header edit X y', 'Header edit requires a match and a substitution'],
    ['Header edit* X a', 'Header edit requires a match and a substitution'],
    ['Header edit X ( y', 'Header edit regex could not be compiled'],
    ['Header echo (', 'Header echo regex could not be compiled'],
    ['Header set X y bogus', 'Unknown parameter: bogus'],
    ['Header set X y z', 'Unknown parameter: z'],
    ['Header unset X bogus', 'Unknown parameter: bogus'],
    ['Header set X y env=', 'error: missing environment variable name. envclause should be in the form env=envar '],
    ['Header set X y env=!', 'error: missing environment variable name. envclause should be in the form env=envar '],
    ['Header set X y expr=', "Can't parse envclause/expression: syntax error, unexpected $end"],
    ['Header set X %z', 'Unrecognized header format %z'],
    ['Header set X %{foo}q', 'Unrecognized header format %q'],
    ['Header note X', 'Header requires three arguments'],
  ])('%s', (body, message) => expect(err(body)).toBe(message));

  test('records entries', () => {
    const { error, sections } = walkText(
      [
        '<Location />',
        'Header always set X-A "%t %D %{HOME}e %%\\tx" env=!NO',
        'Header onsuccess unset Server',
        'Header edit Location ^http://(.*)$ https://$1 early',
        'Header echo ^X-Trace',
        'RequestHeader setifempty X-Forwarded-Proto expr=%{REQUEST_SCHEME} "expr=%{HTTPS} == \'on\'"',
        'Header set Set-Cookie: x',
        '</Location>',
      ].join('\n'),
      MODS,
    );
    expect(error).toBeUndefined();
    const conf = headersConfig(sections[0].dirConfigs);
    expect(conf?.always.length).toBe(1);
    const a = conf?.always[0];
    expect(a?.value).toEqual({
      kind: 'format',
      parts: [
        { kind: 'tag', tag: 't', arg: '' },
        { kind: 'text', text: ' ' },
        { kind: 'tag', tag: 'D', arg: '' },
        { kind: 'text', text: ' ' },
        { kind: 'tag', tag: 'e', arg: 'HOME' },
        { kind: 'text', text: ' ' },
        { kind: 'text', text: '%' },
        { kind: 'text', text: '\tx' },
      ],
    });
    expect(a?.when).toEqual({ kind: 'env', name: 'NO', negate: true });
    expect(conf?.onsuccess.map((e) => `${e.action} ${e.header}`)).toEqual(['unset Server', 'edit Location', 'echo ^X-Trace', 'set Set-Cookie']);
    const edit = conf?.onsuccess[1];
    expect(edit?.regex?.test('http://example.org/')).toBe(true);
    expect(edit?.when).toEqual({ kind: 'early' });
    expect(edit?.value).toEqual({ kind: 'format', parts: [{ kind: 'text', text: 'https://$1' }] });
    expect(conf?.request[0].action).toBe('setifempty');
    expect(conf?.request[0].value?.kind).toBe('expr');
    expect(conf?.request[0].when.kind).toBe('expr');
  });
});
