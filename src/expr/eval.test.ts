import { mkdtempSync, rmSync, symlinkSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalCondition, evalString, newEvalState, parseExpr, parseStringExpr, type ExprContext, type Expr } from './index.js';

function ctxFrom(o: {
  vars?: Record<string, string>;
  headers?: Record<string, string>;
  resp?: Record<string, string>;
  env?: Record<string, string>;
  notes?: Record<string, string>;
  os?: Record<string, string>;
  ip?: string;
  now?: Date;
}): ExprContext {
  const ci = (t: Record<string, string> | undefined) => (name: string) =>
    Object.entries(t ?? {}).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return {
    var: (n) => o.vars?.[n],
    header: ci(o.headers),
    respHeader: ci(o.resp),
    env: (n) => o.env?.[n],
    note: (n) => o.notes?.[n],
    osenv: (n) => o.os?.[n],
    remoteIp: o.ip ?? '127.0.0.1',
    now: o.now ? () => o.now as Date : undefined,
  };
}

function bool(text: string): Expr {
  const r = parseExpr(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return r.value;
}

function strExpr(text: string): Expr {
  const r = parseStringExpr(text);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return r.value;
}

const req = ctxFrom({
  vars: {
    REQUEST_URI: '/api/v1/users',
    REQUEST_METHOD: 'GET',
    QUERY_STRING: 'a=1&b=2',
    REMOTE_ADDR: '10.1.2.3',
    HTTPS: 'off',
    SERVER_NAME: 'www.example.com',
    REQUEST_STATUS: '404',
  },
  headers: { Host: 'example.com', 'User-Agent': 'curl/8', 'X-Example': 'bar', Accept: 'text/html' },
  resp: { 'Content-Type': 'text/plain' },
  env: { FOO: 'from-env', SHARED: 'env' },
  notes: { SHARED: 'note' },
  os: { HOME: '/home/x', SHARED: 'os' },
  ip: '10.1.2.3',
});

describe('conditions', () => {
  test.each([
    ['true', true],
    ['false', false],
    ['!false', true],
    ['true && false', false],
    ['false || true', true],
    ['!(true && false) && (false || true)', true],
    ["%{HTTP_HOST} == 'example.com'", true],
    ["%{REQUEST_URI} == '/api'", false],
    ["%{REQUEST_URI} != '/api'", true],
    ["'abc' < 'abd'", true],
    ["'b' <= 'a'", false],
    ["'b' > 'a'", true],
    ["'a' >= 'a'", true],
    ['10 -gt 9', true],
    ["'10' > '9'", false],
    ["'  12abc' -eq 12", true],
    ["'' -eq 0", true],
    ["'x' -eq 0", true],
    ['-3 -lt 2', true],
    ['99999999999999999999 -eq 9223372036854775807', true],
    ['5 -ne 5', false],
    ['5 -le 5', true],
    ['5 -ge 6', false],
    ["%{REQUEST_URI} =~ m#^/api/#", true],
    ["%{REQUEST_URI} =~ /USERS/", false],
    ["%{REQUEST_URI} =~ /USERS/i", true],
    ["%{REQUEST_URI} !~ /admin/", true],
    ["%{REQUEST_STATUS} -in {'405', '404'}", true],
    ["%{REQUEST_STATUS} in {'405', '410'}", false],
    ["%{HTTP:X-Example} in { 'foo', 'bar', 'baz' }", true],
    ["%{REMOTE_ADDR} -ipmatch '10.0.0.0/8'", true],
    ["%{REMOTE_ADDR} -ipmatch '192.168.0.0/16'", false],
    ["'::ffff:10.1.2.3' -ipmatch '10.1.0.0/255.255.0.0'", true],
    ["'2001:db8::1' -ipmatch '2001:db8::/32'", true],
    ["'not-an-ip' -ipmatch '10.0.0.0/8'", false],
    ["-R '10.1'", true],
    ["-R '127.0.0.1/32'", false],
    ["'a/b' -strmatch 'a*'", true],
    ["'a/b' -fnmatch 'a*'", false],
    ["'a/b' -fnmatch 'a/?'", true],
    ["'ABC' -strcmatch 'a[!x]?'", true],
    ["'ABC' -strmatch 'a*'", false],
    ["'b' -strmatch '[^a]'", true],
    ["'a.txt' -strmatch '*.[tx]xt'", true],
    ["'a*' -strmatch 'a\\\\*'", true],
    ["-n %{QUERY_STRING}", true],
    ["-z %{PATH_INFO}", true],
    ["-T 'on'", true],
    ["-T 'OFF' || -T '0' || -T 'No' || -T '' || -T 'FALSE'", false],
    ["-T 'offx' && -T '00' && -T 'x'", true],
    ["-U '/x' || -A '/x' || -F '/x'", false],
    ["md5('foo') == 'acbd18db4cc2f85cedef654fccc4a4d8'", true],
    ["%{REQUEST_METHOD} . ' ' . %{REQUEST_URI} == 'GET /api/v1/users'", true],
  ])('%s → %s', (text, want) => {
    const state = newEvalState();
    expect(evalCondition(bool(text), req, state)).toBe(want);
    expect(state.error).toBeUndefined();
  });
});

describe('strings', () => {
  test.each([
    ['plain text', 'plain text'],
    ['%{REQUEST_METHOD} %{REQUEST_URI}?%{QUERY_STRING}', 'GET /api/v1/users?a=1&b=2'],
    ['%{HTTP:user-agent}|%{req:Host}|%{http:missing}|%{req_novary:Accept}', 'curl/8|example.com||text/html'],
    ['%{resp:content-type}', 'text/plain'],
    ['%{reqenv:FOO}|%{note:SHARED}|%{osenv:HOME}', 'from-env|note|/home/x'],
    ['%{env:SHARED}|%{env:FOO}|%{env:HOME}|%{env:NONE}', 'note|from-env|/home/x|'],
    ['%{tolower:ABC}%{toupper:def}', 'abcDEF'],
    ['%{escape:a b/c;?#%~<>}', 'a%20b/c;%3f%23%25~%3c%3e'],
    ['%{unescape:a%20b%2Fc%2fd%41}', 'a b%2Fc%2fdA'],
    ['[%{unescape:a%zzb}][%{unescape:a%00b}]', '[][]'],
    ['%{ldap:a,b+cd(f)*g h=#;<>}', 'a\\2cb\\2bcd\\28f\\29\\2ag h=#\\3b\\3c\\3e'],
    ['%{base64:hello}|%{unbase64:aGVsbG8=}|%{unbase64:aGVsbA}|%{unbase64:aGV$sbG8}', 'aGVsbG8=|hello|hell|he'],
    ['%{md5:foo}|%{sha1:foo}', 'acbd18db4cc2f85cedef654fccc4a4d8|0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33'],
    ['a\\x41b\\101c\\tq\\qd', 'ax41bAc\tqqd'],
    ['%{API_VERSION}', '20120211'],
    ['%{HTTP:%{REQUEST_METHOD}}', ''],
  ])('%s', (text, want) => {
    const state = newEvalState();
    expect(evalString(strExpr(text), req, state)).toBe(want);
    expect(state.error).toBeUndefined();
  });

  test('TIME variables use the context clock', () => {
    const ctx = ctxFrom({ now: new Date(2010, 11, 31, 23, 59, 58) });
    expect(evalString(strExpr('%{TIME}|%{TIME_YEAR}|%{TIME_MON}|%{TIME_DAY}|%{TIME_HOUR}|%{TIME_MIN}|%{TIME_SEC}|%{TIME_WDAY}'), ctx)).toBe(
      '20101231235958|2010|12|31|23|59|58|5',
    );
  });
});

describe('regex back-references', () => {
  test('$0…$9 come from the last match with groups', () => {
    const state = newEvalState();
    const e = bool("%{REQUEST_URI} =~ m#^/(api)/(v[0-9])(x)?# && $1 == 'api' && $2 == 'v1' && $3 == '' && $0 == '/api/v1'");
    expect(evalCondition(e, req, state)).toBe(true);
    expect(state.captures?.match[2]).toBe('v1');
  });

  test('a regex without groups leaves earlier captures alone; a failed match clears them', () => {
    expect(evalCondition(bool("%{REQUEST_URI} =~ m#^/(api)# && %{REQUEST_URI} =~ /users/ && $1 == 'api'"), req)).toBe(true);
    expect(evalCondition(bool("%{REQUEST_URI} =~ m#^/(api)# && !(%{REQUEST_URI} =~ m#(nomatch)#) && $1 == ''"), req)).toBe(true);
    expect(evalCondition(bool("%{REQUEST_URI} =~ /api/ && $0 == ''"), req)).toBe(true);
  });

  test('a string expression can use captures handed in by the caller', () => {
    const state = newEvalState();
    state.captures = { source: '/img/cat.png', match: /^\/img\/(.*)\.(png)$/.exec('/img/cat.png') as RegExpExecArray };
    expect(evalString(strExpr('/static/$1.$2'), req, state)).toBe('/static/cat.png');
  });
});

describe('Vary', () => {
  test('header variables and req()/http() record the header, except Host; req_novary does not', () => {
    const state = newEvalState();
    evalCondition(bool("%{HTTP_USER_AGENT} == '' || req('X-A') == '' || http('Host') == '' || %{HTTP_HOST} == '' || req_novary('X-B') == 'x'"), req, state);
    expect(state.vary).toEqual(['User-Agent', 'X-A']);
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'featherd-expr-files-'));
  const file = join(dir, 'f.txt');
  const empty = join(dir, 'empty');
  const sub = join(dir, 'sub');
  const link = join(dir, 'link');
  const script = join(dir, 'run.sh');
  beforeAll(() => {
    writeFileSync(file, 'hello\n');
    writeFileSync(empty, '');
    mkdirSync(sub);
    symlinkSync(file, link);
    writeFileSync(script, '#!/bin/sh\n');
    chmodSync(script, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    [`-e '${file}' && -e '${sub}' && !-e '${dir}/nope'`, true],
    [`-f '${file}' && !-f '${sub}' && -d '${sub}' && !-d '${file}'`, true],
    [`-s '${file}' && !-s '${empty}'`, true],
    [`-L '${link}' && -h '${link}' && !-L '${file}'`, true],
    [`-x '${script}' && !-x '${file}'`, true],
    [`filesize('${file}') -eq 6 && filesize('${empty}') == '0' && filesize('${sub}') == '0'`, true],
    [`file('${file}') == "hello\\n"`, true],
    [`-f '%{DIR}/f.txt'`, true],
  ])('%s', (text, want) => {
    const ctx = ctxFrom({ vars: { DIR: dir } });
    const expr = parseExpr(text.replace('%{DIR}', dir));
    if (!expr.ok) throw new Error(expr.error);
    const state = newEvalState();
    expect(evalCondition(expr.value, ctx, state)).toBe(want);
    expect(state.error).toBeUndefined();
  });

  test('file() on a missing file is an evaluation error: false and a message', () => {
    const state = newEvalState();
    expect(evalCondition(bool(`file('${dir}/missing') == '' || true`), req, state)).toBe(false);
    expect(state.error).toBe(`Cannot open file ${dir}/missing`);
    expect(evalString(strExpr(`x%{file:${dir}/missing}`), req, state)).toBe('');
    expect(state.error).toBe(`Cannot open file ${dir}/missing`);
  });
});

describe('names added by modules', () => {
  test('extra variables and functions resolve at parse time and evaluate through the context', () => {
    const opts = {
      extraVar: (n: string) => (n.toUpperCase().startsWith('HC_') ? n.toUpperCase() : undefined),
      extraFunc: (n: string) => (n.toLowerCase() === 'hc' ? 'hc' : undefined),
    };
    const r = parseExpr("%{hc_status} == '200' && hc('body') =~ /ok/", opts);
    if (!r.ok) throw new Error(r.error);
    const ctx: ExprContext = {
      ...req,
      var: (n) => (n === 'HC_STATUS' ? '200' : undefined),
      func: (name, arg) => (name === 'hc' && arg === 'body' ? 'all ok' : undefined),
    };
    expect(evalCondition(r.value, ctx)).toBe(true);
    const bad = parseExpr("%{HC_STATUS} == '200'");
    expect(bad.ok ? '' : bad.error).toBe("Variable 'HC_STATUS' does not exist");
    const badFn = parseExpr("hcx('a') == ''", opts);
    expect(badFn.ok ? '' : badFn.error).toBe("Function 'hcx' does not exist");
  });
});

describe('limits and misuse', () => {
  test('deep nesting hits httpd’s recursion limit: false with an error', () => {
    const deep = `${'!('.repeat(25)}true${')'.repeat(25)}`;
    const nested = `${'md5('.repeat(25)}'x'${')'.repeat(25)} == ''`;
    const state = newEvalState();
    expect(evalCondition(bool(nested), req, state)).toBe(false);
    expect(state.error).toBe('Recursion limit reached');
    expect(evalCondition(bool(deep), req, newEvalState())).toBe(false);
  });

  test('a string expression given to evalCondition (and vice versa) is an error, not a throw', () => {
    const state = newEvalState();
    expect(evalCondition(strExpr('x'), req, state)).toBe(false);
    expect(state.error).toBeDefined();
    expect(evalString(bool('true'), req, state)).toBe('');
    expect(state.error).toBeDefined();
  });
});
