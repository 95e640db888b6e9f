import fc from 'fast-check';
import { parseExpr, parseStringExpr, EXPR_SCANNER_JAMMED, type Cond, type Expr, type Word } from './index.js';
import { scan } from './lexer.js';
import { diagnose } from './lr.js';

function cond(text: string): Cond {
  const r = parseExpr(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  expect(r.value.type).toBe('bool');
  return (r.value as Extract<Expr, { type: 'bool' }>).root;
}

function str(text: string): Word {
  const r = parseStringExpr(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return (r.value as Extract<Expr, { type: 'string' }>).root;
}

function err(text: string, stringMode = false): string {
  const r = stringMode ? parseStringExpr(text) : parseExpr(text);
  if (r.ok) throw new Error(`${text}: parsed`);
  return r.error;
}

describe('boolean expressions: every construct parses', () => {
  test.each([
    'true',
    'false',
    '!true',
    'not false',
    'true && false',
    'true and false',
    'true || false',
    'true or false',
    '(true)',
    '((true || false) && !(false))',
    "'a' == 'b'",
    "'a' = 'b'",
    "'a' != 'b'",
    "'a' < 'b'",
    "'a' <= 'b'",
    "'a' > 'b'",
    "'a' >= 'b'",
    '1 -eq 1',
    '1 eq 1',
    '1 -ne 2',
    '1 ne 2',
    '1 -lt 2',
    '1 lt 2',
    '1 -le 2',
    '1 le 2',
    '2 -gt 1',
    '2 gt 1',
    '2 -ge 1',
    '2 ge 1',
    '-5 -lt 0',
    "%{REQUEST_URI} =~ /^.a/",
    "%{REQUEST_URI} !~ /x/i",
    "%{REQUEST_URI} =~ m#^/special_path\\.php$#",
    "%{REQUEST_URI} =~ m|a|i",
    "%{REQUEST_URI} =~ m,a,",
    "%{REMOTE_ADDR} -ipmatch '192.168.1.0/24'",
    "%{REMOTE_ADDR} -IPMatch '10.0.0.0/255.0.0.0'",
    "%{REMOTE_ADDR} -ipmatch '2001:db8::/32'",
    "%{REQUEST_URI} -strmatch '/a*'",
    "%{REQUEST_URI} -strcmatch '/A*'",
    "%{REQUEST_URI} -fnmatch '/a/*'",
    "%{REQUEST_STATUS} -in {'405', '410'}",
    "%{HTTP:X-example-header} in { 'foo', 'bar', 'baz' }",
    "-n %{QUERY_STRING}",
    "-z ''",
    "-d '/tmp'",
    "-e '/tmp'",
    "-f '/etc/hostname'",
    "-s '/etc/hostname'",
    "-L '/x'",
    "-h '/x'",
    "-x '/bin/sh'",
    "-F '/x'",
    "-U '/x'",
    "-A '/x'",
    "-T 'on'",
    "-R '192.168.1.0/24'",
    "-R '10.1'",
    "%{HTTP_HOST} == 'example.com'",
    '%{http_host} == %{SERVER_NAME}',
    "%{HTTP:Accept-Encoding} =~ /gzip/",
    "%{ENV:FOO} == %{reqenv:x} && %{note:y} == %{osenv:z} && %{resp:w} == %{req_novary:q}",
    "req('X') == http('Y') && resp('Z') == ''",
    "tolower('A') == toupper('b') && escape('a b') == unescape('a%20b')",
    "base64('x') == unbase64('eA==') && md5('foo') == 'acbd18db4cc2f85cedef654fccc4a4d8' && sha1('') != ''",
    "file('/etc/hostname') != '' && filesize('/etc/hostname') -gt 0 && ldap('a,b') == ''",
    "TOLOWER('A') == 'a'",
    "'a' . 'b' == 'ab'",
    "%{REQUEST_URI} . '/' . md5(%{QUERY_STRING}) == ''",
    "$1 == 'a'",
    "'x$1y$0' == ''",
    "'%{REQUEST_URI}x' == ''",
    "\"it's\" == 'it\\'s'",
    "'\\101\\n\\t' == 'A'",
    "%{TIME_HOUR} -gt 9 && %{TIME_HOUR} -lt 17",
    "%{HTTPS} == 'on' || %{IPV6} == 'on' || %{HTTP2} == 'on'",
    "! reqenv('REDIRECT_FOO') =~ /bar/",
    "-f '%{REQUEST_FILENAME}.unzipme' && ! %{HTTP:Accept-Encoding} =~ /gzip/",
  ])('%s', (text) => {
    expect(parseExpr(text).ok).toBe(true);
  });
});

describe('tree shape', () => {
  test('|| binds loosest, && next, ! tightest; both are right-associative', () => {
    expect(cond('!true && false || true')).toEqual({
      kind: 'or',
      left: { kind: 'and', left: { kind: 'not', arg: { kind: 'true' } }, right: { kind: 'false' } },
      right: { kind: 'true' },
    });
    expect(cond('true || false || true')).toEqual({
      kind: 'or',
      left: { kind: 'true' },
      right: { kind: 'or', left: { kind: 'false' }, right: { kind: 'true' } },
    });
  });

  test('! applies to a whole comparison', () => {
    expect(cond("! 'a' == 'b'")).toEqual({
      kind: 'not',
      arg: { kind: 'compare', op: '==', left: { kind: 'string', value: 'a' }, right: { kind: 'string', value: 'b' } },
    });
  });

  test('names are resolved to their canonical spelling', () => {
    expect(cond("%{http:X} == %{request_uri}")).toEqual({
      kind: 'compare',
      op: '==',
      left: { kind: 'func', name: 'http', arg: { kind: 'string', value: 'X' } },
      right: { kind: 'var', name: 'REQUEST_URI' },
    });
    expect(cond("Md5('a') -eq 1")).toMatchObject({ kind: 'compare', op: 'eq', left: { kind: 'func', name: 'md5' } });
  });

  test('strings interpolate variables and backrefs; . concatenates', () => {
    expect(cond("'a%{REQUEST_URI}b$1' . 5 == ''")).toMatchObject({
      left: {
        kind: 'concat',
        parts: [
          { kind: 'string', value: 'a' },
          { kind: 'var', name: 'REQUEST_URI' },
          { kind: 'string', value: 'b' },
          { kind: 'backref', n: 1 },
          { kind: 'digit', value: '5' },
        ],
      },
    });
  });

  test('escapes in quoted strings: octal, \\n \\r \\t \\b \\f, anything else is itself', () => {
    expect(cond("'\\101\\n\\r\\t\\b\\f\\x\\'\\\\' == ''")).toMatchObject({
      left: { kind: 'string', value: 'A\n\r\t\b\fx\'\\' },
    });
  });

  test('regex literals: delimiter, i flag, capture detection', () => {
    const c = cond("%{REQUEST_URI} =~ m#^/(a+)#i");
    expect(c).toMatchObject({ kind: 'match', negate: false, regex: { source: '^/(a+)', icase: true, captures: true } });
    if (c.kind !== 'match') throw new Error('not a match');
    expect(c.regex.regex.test('/AA')).toBe(true);
    expect(cond("'a' !~ /b/")).toMatchObject({ kind: 'match', negate: true, regex: { captures: false } });
  });

  test('-R and -ipmatch carry the parsed subnet', () => {
    expect(cond("-R '10.1'")).toMatchObject({ kind: 'unary', op: 'R', subnet: { family: 4, sub: [10, 1, 0, 0], mask: [255, 255, 0, 0] } });
    expect(cond("'x' -ipmatch '10.0.0.0/8'")).toMatchObject({ kind: 'binary', op: 'ipmatch', subnet: { mask: [255, 0, 0, 0] } });
  });

  test('word lists', () => {
    expect(cond("'a' in {'a', %{REQUEST_URI}}")).toMatchObject({
      kind: 'in',
      list: { kind: 'list', items: [{ kind: 'string', value: 'a' }, { kind: 'var', name: 'REQUEST_URI' }] },
    });
    expect(parseExpr("'a' in PeerExtList('1.2.3')", { ssl: true }).ok).toBe(true);
  });
});

describe('string expressions', () => {
  test('plain text stays one constant, quotes included', () => {
    expect(str(`it's "quoted" 100%`)).toEqual({ kind: 'string', value: `it's "quoted" 100%` });
  });

  test('interpolation of variables, functions and backrefs', () => {
    expect(str('a%{REQUEST_URI}b%{md5:x}$1')).toEqual({
      kind: 'concat',
      parts: [
        { kind: 'string', value: 'a' },
        { kind: 'var', name: 'REQUEST_URI' },
        { kind: 'string', value: 'b' },
        { kind: 'func', name: 'md5', arg: { kind: 'string', value: 'x' } },
        { kind: 'backref', n: 1 },
        { kind: 'string', value: '' },
      ],
    });
  });

  test('empty text is an empty string', () => {
    expect(str('')).toEqual({ kind: 'string', value: '' });
  });

  test('a nested variable inside a function argument', () => {
    expect(str('%{HTTP:a%{REQUEST_METHOD}}')).toMatchObject({
      kind: 'concat',
      parts: [
        { kind: 'func', name: 'http', arg: { kind: 'concat', parts: [{ value: 'a' }, { kind: 'var', name: 'REQUEST_METHOD' }] } },
        { kind: 'string', value: '' },
      ],
    });
  });

  test('errors', () => {
    expect(err('%{X}', true)).toBe("Variable 'X' does not exist");
    expect(err('%{HTTP:Host', true)).toBe('Unterminated string or variable');
    expect(err('%{REQUEST_URI', true)).toBe(
      "syntax error, unexpected T_ERROR, expecting T_VAR_END or ':': Unterminated string or variable",
    );
    expect(err('\\400', true)).toBe('Escape sequence out of bound');
  });
});

describe('parse errors carry httpd texts', () => {
  test.each([
    ['%{X}', "syntax error, unexpected $end: Variable 'X' does not exist"],
    ["%{X} == 'a'", "Variable 'X' does not exist"],
    ['%{X} == %{Y}', "Variable 'Y' does not exist"],
    ["foo('a') == 'b'", "Function 'foo' does not exist"],
    ["filemod('a') == 'b'", "Function 'filemod' does not exist"],
    ["'a' in split('b')", "List-returning function 'split' does not exist"],
    ["-Q 'a'", "Unary operator '-Q' does not exist"],
    ["'a' -foo 'b'", "Binary operator '-foo' does not exist"],
    ["'a' =~ /(/", 'Failed to compile regular expression'],
    ["%{X} == 'a' && 'a' =~ /(/", "Failed to compile regular expression: Variable 'X' does not exist"],
    ["'a' == ", 'syntax error, unexpected $end'],
    ['(true', "syntax error, unexpected $end, expecting T_OP_OR or T_OP_AND or ')'"],
    ["'a' in {'b'", "syntax error, unexpected $end, expecting '}' or ','"],
    ["'a' =~ /abc", 'syntax error, unexpected $end, expecting T_REGEX or T_REGEX_I'],
    ["'a' =~ /abc/ii", 'syntax error, unexpected T_ID, expecting $end'],
    ["'a' in {}", "syntax error, unexpected '}'"],
    ["'a", 'Unterminated string or variable'],
    ["'a' & 'b'", "syntax error, unexpected T_ERROR: Parse error near '&'"],
    ['- 1', "Parse error near '-'"],
    ["%{REQUEST-URI} == 'a'", "syntax error, unexpected T_ERROR, expecting T_VAR_END or ':': Invalid character in variable name '-'"],
    ["%{HTTP:} == 'a'", 'syntax error, unexpected T_VAR_END, expecting T_ERROR or T_STRING or T_REGEX_BACKREF or T_VAR_BEGIN'],
    ["'\\8' == 'a'", 'Bad escape sequence'],
    ["-R 10", '-R requires subnet/netmask as constant argument'],
    ["-R 'localhost'", 'parsing of subnet/netmask failed'],
    ["'x' -ipmatch '1.2.3.4/33'", 'parsing of subnet/netmask failed'],
    ["-Q 'a' #", "syntax error, unexpected T_ERROR, expecting $end: Unary operator '-Q' does not exist"],
    ["%{REQUEST_URI} =~ /^\\/a/", 'Failed to compile regular expression'],
    ["Md5('a') -EQ 1", "Binary operator '-EQ' does not exist"],
    ['%{SSL_PROTOCOL} == 1', "Variable 'SSL_PROTOCOL' does not exist"],
  ])('%s', (text, message) => {
    expect(err(text)).toBe(message);
  });

  test('a quote inside %{NAME:…} jams httpd’s scanner', () => {
    expect(err("%{HTTP:'x'} == 'a'")).toBe(EXPR_SCANNER_JAMMED);
    expect(err("'a\\")).toBe(EXPR_SCANNER_JAMMED);
  });

  test('mod_ssl adds SSL_* variables and the SSL function', () => {
    expect(parseExpr("%{SSL_PROTOCOL} == 'TLSv1.3' && %{SSL:CIPHER} != ''", { ssl: true }).ok).toBe(true);
  });

  test('restricted context refuses file access', () => {
    expect(err2("-f '/x'", { restricted: true })).toBe('-f not available in restricted context');
    expect(err2("file('/x') == ''", { restricted: true })).toBe('file not available in restricted context');
    expect(parseExpr("-n 'x'", { restricted: true }).ok).toBe(true);
  });
});

function err2(text: string, opts: { restricted?: boolean }): string {
  const r = parseExpr(text, opts);
  if (r.ok) throw new Error('parsed');
  return r.error;
}

/** Random text built from the language's own pieces, so that many samples get deep into the grammar. */
const pieces = fc.constantFrom(
  ' ',
  "'",
  '"',
  '%{',
  '}',
  ':',
  '(',
  ')',
  '{',
  ',',
  '$1',
  '\\',
  '/',
  'm#',
  '#',
  'i',
  '==',
  '!=',
  '=~',
  '!~',
  '<',
  '-eq',
  '-in',
  '-R',
  '-n',
  '-ipmatch',
  '-foo',
  '&&',
  '||',
  '!',
  '.',
  'true',
  'false',
  'REQUEST_URI',
  'HTTP',
  'X',
  'md5',
  'foo',
  '12',
  '-3',
  'a',
  '10.0.0.0/8',
  '\n',
  '&',
);
const tokenSoup = fc.array(pieces, { maxLength: 14 }).map((a) => a.join(''));

describe('properties', () => {
  test('parseExpr and parseStringExpr never throw on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), tokenSoup), (text) => {
        const a = parseExpr(text);
        const b = parseStringExpr(text);
        expect(typeof a.ok).toBe('boolean');
        expect(typeof b.ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  test('the tree-building parser accepts exactly what httpd’s parser accepts', () => {
    fc.assert(
      fc.property(tokenSoup, fc.boolean(), (text, stringMode) => {
        const r = stringMode ? parseStringExpr(text) : parseExpr(text);
        const d = diagnose(scan(text, stringMode), {});
        expect(r.ok).toBe(d.ok);
        if (!r.ok) expect(r.error).toBe(d.message);
      }),
      { numRuns: 5000 },
    );
  });
});
