import { compileLogFormat, escapeLogItem, STANDARD_FORMATS, strftime, type LogRecord } from './format.js';

// The format and the expected lines were produced by httpd 2.4.71 (CustomLog with this
// LogFormat, requests sent with a raw socket to a vhost "ndv.test" on 127.0.0.1:19380).
const CMP =
  '%h|%l|%u|%r|%>s|%s|%b|%B|%{X-T}i|%{Content-Length}o|%v|%V|%p|%U|%q|%H|%m|%f|%a|%A|%k|%X|%400,501{X-T}i|%!200{X-T}i|%{X-Missing}i|\\t|%%|%{c}a|%R|%L|%{Set-Cookie}o|%{ab}C';

function rec(over: Partial<LogRecord>): LogRecord {
  return {
    peerIp: '127.0.0.1',
    peerPort: 40000,
    localIp: '127.0.0.1',
    localPort: 19380,
    requestTimeUs: Date.UTC(2026, 10, 27, 11, 58, 10) * 1000,
    endTimeUs: Date.UTC(2026, 10, 27, 11, 58, 10) * 1000 + 201823,
    requestLine: 'GET / HTTP/1.1',
    method: 'GET',
    protocol: 'HTTP/1.1',
    uri: '/',
    args: null,
    status: 200,
    bytesSent: null,
    requestHeaders: [],
    responseHeaders: [],
    serverName: 'ndv.test',
    connectionStatus: '-',
    keepAlives: 0,
    tzOffsetMinutes: 0,
    ...over,
  };
}

describe('compileLogFormat against httpd output', () => {
  const f = compileLogFormat(CMP);
  if (!f.ok) throw new Error(f.error);
  test('escaping of non-printables, quotes and backslashes; cookies by exact name; 404 page', () => {
    const line = f.value(
      rec({
        requestLine: 'GET /nope?q=\xe9"x HTTP/1.1',
        uri: '/nope',
        args: '\xe9"x'.replace(/^/, 'q='),
        status: 404,
        bytesSent: 236,
        filename: '/var/www/html/nope',
        requestHeaders: [
          ['Host', 'ndv.test'],
          ['X-T', 'a"b\\\\c\xe9\tz'],
          ['Cookie', 'xab=1; ab=2'],
        ],
        responseHeaders: [['Content-Length', '236']],
        logId: '2',
      }),
    );
    expect(line).toBe(
      '127.0.0.1|-|-|GET /nope?q=\\xe9\\"x HTTP/1.1|404|404|236|236|a\\"b\\\\\\\\c\\xe9\\tz|236|ndv.test|ndv.test|80|/nope|?q=\\xe9\\"x|HTTP/1.1|GET|/var/www/html/nope|127.0.0.1|127.0.0.1|0|-|-|a\\"b\\\\\\\\c\\xe9\\tz|-|\t|%|127.0.0.1|-|2|-|2',
    );
  });
  test('proxied redirect: %b "-" for an empty body, filename, handler, Set-Cookie', () => {
    const line = f.value(
      rec({
        requestLine: 'GET /b/redir HTTP/1.1',
        uri: '/b/redir',
        status: 302,
        bytesSent: 0,
        filename: 'proxy:http://127.0.0.1:19301/redir',
        handler: 'proxy-server',
        logId: 'Yzf68KjM7N4',
        requestHeaders: [['X-T', 'q']],
        responseHeaders: [
          ['Content-Length', '0'],
          ['Set-Cookie', 'a=1; Path=/pub; Domain=public.test'],
        ],
      }),
    );
    expect(line).toBe(
      '127.0.0.1|-|-|GET /b/redir HTTP/1.1|302|302|-|0|q|0|ndv.test|ndv.test|80|/b/redir||HTTP/1.1|GET|proxy:http://127.0.0.1:19301/redir|127.0.0.1|127.0.0.1|0|-|-|q|-|\t|%|127.0.0.1|proxy-server|Yzf68KjM7N4|a=1; Path=/pub; Domain=public.test|-',
    );
  });
});

describe('other directives', () => {
  test('common and combined', () => {
    const c = compileLogFormat(STANDARD_FORMATS.combined);
    expect(c.ok && c.value(rec({ requestLine: 'GET /x HTTP/1.1', status: 200, bytesSent: 3, user: 'bob', requestHeaders: [['User-Agent', 'curl/8']] }))).toBe(
      '127.0.0.1 - bob [27/Nov/2026:11:58:10 +0000] "GET /x HTTP/1.1" 200 3 "-" "curl/8"',
    );
  });
  test('%t with a time zone, %{…}t strftime and begin/end units, %D %T', () => {
    const f = compileLogFormat('%t %{%Y-%m-%d %H:%M:%S %z}t %{sec}t %{msec_frac}t %{end:usec_frac}t %D %T %{ms}T %{us}T');
    const r = rec({ tzOffsetMinutes: -330, requestTimeUs: Date.UTC(2026, 0, 2, 3, 4, 5, 678) * 1000 + 9, endTimeUs: Date.UTC(2026, 0, 2, 3, 4, 7, 0) * 1000 });
    expect(f.ok && f.value(r)).toBe(
      '[01/Jan/2026:21:34:05 -0530] 2026-01-01 21:34:05 -0530 1767323045 678 000000 1321991 1 1321 1321991',
    );
  });
  test('%<s vs %>s, conditions, %u empty user, %q, %{remote}p %{local}p, %P, %k, %X', () => {
    const f = compileLogFormat('%<s %>s %s %!404,500s %404{X}i %u|%q|%{remote}p %{local}p %p %k %X %I %O %S');
    const r = rec({ status: 500, originalStatus: 404, user: '', args: 'a b', serverPort: 8080, keepAlives: 3, connectionStatus: '+', bytesIn: 10, bytesOut: 20, requestHeaders: [['x', '1']] });
    expect(f.ok && f.value(r)).toBe('404 500 404 - - ""|?a b|40000 19380 8080 3 + 10 20 30');
  });
  test('literal escapes and errors', () => {
    const f = compileLogFormat('a\\"b\\\\c\\qd');
    expect(f.ok && f.value(rec({}))).toBe('a\\"b\\c\\qd');
    expect(compileLogFormat('%Z')).toEqual({ ok: false, error: 'Unrecognized LogFormat directive %Z' });
    expect(compileLogFormat('x %{User-agent')).toEqual({ ok: false, error: 'Ran off end of LogFormat parsing args to some directive' });
    expect(compileLogFormat('%')).toEqual({ ok: false, error: 'Ran off end of LogFormat parsing args to some directive' });
  });
  test('escapeLogItem and strftime helpers', () => {
    expect(escapeLogItem('\b\n\r\v\x7f\u20ac')).toBe('\\b\\n\\r\\v\\x7f\\xe2\\x82\\xac');
    expect(strftime('%a %A %b %B %e %j %I %p %F %T %%', Date.UTC(2026, 1, 5, 13, 0, 9) * 1000, 0)).toBe('Thu Thursday Feb February  5 036 01 PM 2026-02-05 13:00:09 %');
  });
});
