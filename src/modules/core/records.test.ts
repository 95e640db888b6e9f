import { checkMpm } from './listen.js';
import { coreDir, coreListeners, coreSections, coreServer } from './config.js';
import { cleanup, loadSnippet, type Snippet } from './testing.js';

function ok(body: string, opts: Parameters<typeof loadSnippet>[1] = {}): Snippet {
  const s = loadSnippet(body, opts);
  expect(s.errorText).toBeUndefined();
  return s;
}

afterEach(() => undefined);

test('Listen records address, port and protocol on the main server', () => {
  const s = ok('Listen 8080\nListen 127.0.0.1:8443 HTTPS\nListen [::1]:443\nListen *:9000');
  const l = coreListeners(s.result.state!.mainServer);
  expect(l.map((x) => [x.address, x.port, x.protocol])).toEqual([
    [undefined, 8080, 'http'],
    ['127.0.0.1', 8443, 'https'],
    ['::1', 443, 'https'],
    [undefined, 9000, 'http'],
  ]);
  expect(l[1].loc.line).toBe(3);
  cleanup(s);
});

test('ServerName, ServerAlias and vhost addresses; omitted ports take the main server port seen so far', () => {
  const s = ok(
    [
      '<VirtualHost 127.0.0.1>',
      '</VirtualHost>',
      'ServerName https://Main.Example:8080',
      '<VirtualHost 127.0.0.2 [::1]:81 *:* _default_>',
      'ServerName www.example.com',
      'ServerAlias example.com *.example.com www?.example.org',
      'ServerAdmin admin@example.com',
      'Timeout 30',
      'KeepAlive Off',
      'KeepAliveTimeout 1500ms',
      'MaxKeepAliveRequests 0',
      '</VirtualHost>',
    ].join('\n'),
  );
  const st = s.result.state!;
  const main = coreServer(st.mainServer);
  expect(main.serverName).toMatchObject({ scheme: 'https', host: 'Main.Example', port: 8080 });
  expect(main.port).toBe(8080);
  expect(st.vhosts).toHaveLength(2);
  expect(coreServer(st.vhosts[0]).addresses).toEqual([{ text: '127.0.0.1', host: '127.0.0.1', wildcard: false, ipv6: false, port: 0 }]);
  const v = coreServer(st.vhosts[1]);
  expect(v.addresses.map((a) => [a.host, a.port, a.wildcard, a.ipv6])).toEqual([
    ['127.0.0.2', 8080, false, false],
    ['::1', 81, false, true],
    ['*', 0, true, false],
    ['*', 8080, true, false],
  ]);
  expect(v.serverName).toMatchObject({ host: 'www.example.com' });
  expect(v.serverName?.port).toBeUndefined();
  expect(v.port).toBe(0);
  expect(v.aliases).toEqual(['example.com']);
  expect(v.wildAliases).toEqual(['*.example.com', 'www?.example.org']);
  expect(v).toMatchObject({ serverAdmin: 'admin@example.com', timeout: 30, keepAlive: false, keepAliveTimeout: 1500, maxKeepAliveRequests: 0 });
  expect(main.timeout).toBeUndefined();
  cleanup(s);
});

test('sections are listed per server in file order, with nested sections and their own configs', () => {
  const s = ok(
    [
      '<Location /api>',
      '  SetHandler "proxy:http://127.0.0.1:9000/"',
      '  <If "%{REQUEST_METHOD} == \'GET\'">',
      '    ErrorDocument 404 /missing.html',
      '  </If>',
      '  <Else>',
      '    ErrorDocument 404 "not here"',
      '  </Else>',
      '</Location>',
      '<Directory /srv/www/../www//static>',
      '  Options -Indexes +FollowSymLinks',
      '  <Files "*.txt">',
      '    ForceType text/plain',
      '  </Files>',
      '</Directory>',
      '<LocationMatch "^/user/(?<id>\\d+)">',
      '</LocationMatch>',
      '<Directory ~ "^/SRV/">',
      '</Directory>',
      '<FilesMatch "\\.(?i:php)$">',
      '</FilesMatch>',
      '<VirtualHost *:80>',
      '  <Location />',
      '    ErrorDocument 500 default',
      '  </Location>',
      '</VirtualHost>',
    ].join('\n'),
  );
  const st = s.result.state!;
  const secs = coreSections(st.mainServer);
  expect(secs.map((x) => [x.kind, x.path])).toEqual([
    ['location', '/api'],
    ['directory', '/srv/www/static/'],
    ['locationmatch', '^/user/(?<id>\\d+)'],
    ['directorymatch', '^/SRV/'],
    ['filesmatch', '\\.(?i:php)$'],
  ]);
  const loc = secs[0];
  expect(coreDir(loc.dirConfigs).handler).toBe('proxy:http://127.0.0.1:9000/');
  expect(loc.nested.map((x) => [x.kind, x.condition])).toEqual([
    ['if', "%{REQUEST_METHOD} == 'GET'"],
    ['else', undefined],
  ]);
  expect(coreDir(loc.nested[0].dirConfigs).errorDocuments.get(404)).toMatchObject({ kind: 'local', value: '/missing.html' });
  expect(coreDir(loc.nested[1].dirConfigs).errorDocuments.get(404)).toMatchObject({ kind: 'text', value: 'not here' });
  const dir = secs[1];
  const opts = coreDir(dir.dirConfigs).options!;
  expect([...opts.add]).toEqual(['FollowSymLinks']);
  expect([...opts.remove]).toEqual(['Indexes']);
  expect(dir.nested).toHaveLength(1);
  expect(dir.nested[0]).toMatchObject({ kind: 'files', path: '*.txt', isFnmatch: true });
  expect(coreDir(dir.nested[0].dirConfigs).forceType).toBe('text/plain');
  const m = secs[2];
  expect(m.groupNames).toEqual(['id']);
  expect(m.regex!.exec('/user/42')!.groups!.id).toBe('42');
  expect(m.regex!.test('/USER/42')).toBe(false);
  expect(secs[4].regex!.test('index.PHP')).toBe(true);
  expect(secs[4].regex!.test('index.phps')).toBe(false);
  expect(coreSections(st.vhosts[0]).map((x) => x.path)).toEqual(['/']);
  expect(coreDir(coreSections(st.vhosts[0])[0].dirConfigs).errorDocuments.get(500)?.kind).toBe('default');
  cleanup(s);
});

test('LogLevel keeps the global level and per-module levels by module id', () => {
  const s = ok('LogLevel info alias:debug mod_log_config.c:trace3\n<Location />\nLogLevel proxy_module:warn\n</Location>', {
    modules: ['alias', 'proxy'],
  });
  const main = coreServer(s.result.state!.mainServer);
  expect(main.logLevel.level).toBe('info');
  expect([...main.logLevel.modules]).toEqual([
    ['alias_module', 'debug'],
    ['log_config_module', 'trace3'],
  ]);
  const loc = coreSections(s.result.state!.mainServer)[0];
  expect([...coreDir(loc.dirConfigs).logLevel!.modules]).toEqual([['proxy_module', 'warn']]);
  cleanup(s);
});

test('DocumentRoot: relative to ServerRoot in the main server; a missing one in a vhost is warning AH00112', () => {
  const s = ok('DocumentRoot htdocs\n<VirtualHost *:80>\nDocumentRoot /nonexistent-featherd\n</VirtualHost>', { dirs: ['htdocs'] });
  const st = s.result.state!;
  expect(coreServer(st.mainServer).documentRoot).toBe(`${s.root}/htdocs`);
  expect(coreServer(st.vhosts[0]).documentRoot).toBe('/nonexistent-featherd');
  expect(s.result.diagnostics).toContainEqual(
    expect.objectContaining({ code: 'AH00112', message: 'Warning: DocumentRoot [/nonexistent-featherd] does not exist', loc: expect.objectContaining({ line: 4 }) }),
  );
  cleanup(s);
});

test('startup warnings httpd logs become diagnostics', () => {
  const s = ok('NameVirtualHost *:80\nDefaultType text/plain\nErrorDocument 401 http://x/\n<Location />\nAllowOverride All\n</Location>');
  expect(s.result.diagnostics.map((d) => d.code)).toEqual(['AH00548', 'AH00117', 'AH00113', 'AH00114']);
  expect(s.result.diagnostics[1].message).toBe(`Ignoring deprecated use of DefaultType in line 3 of ${s.file}.`);
  cleanup(s);
});

test('server limits, protocol options and other server settings', () => {
  const s = ok(
    'LimitRequestLine 4000\nLimitRequestFieldsize 1000\nLimitRequestFields 20\nLimitRequestBody 1024\nStrictHostCheck On\n' +
      'HttpProtocolOptions Unsafe RegisteredMethods Require1.0\nMergeSlashes Off\nAllowEncodedSlashes NoDecode\n' +
      'UseCanonicalName On\nHostnameLookups Double\nServerTokens Prod\nServerSignature EMail\nPidFile run/x.pid\nTraceEnable extended\n' +
      'Protocols h2 http/1.1\nErrorLog logs/error.log',
  );
  const st = s.result.state!;
  const m = coreServer(st.mainServer);
  expect(m).toMatchObject({
    limitRequestLine: 4000,
    limitRequestFieldSize: 1000,
    limitRequestFields: 20,
    strictHostCheck: true,
    httpProtocolOptions: { strict: false, registeredMethods: true, allow09: false },
    mergeSlashes: false,
    allowEncodedSlashes: 'nodecode',
    serverTokens: 'ProductOnly',
    pidFile: 'run/x.pid',
    traceEnable: 'extended',
    protocols: ['h2', 'http/1.1'],
    errorLog: 'logs/error.log',
  });
  const d = coreDir(st.mainServer.dirConfigs);
  expect(d).toMatchObject({ limitRequestBody: 1024, useCanonicalName: 'on', hostnameLookups: 'double', serverSignature: 'email' });
  cleanup(s);
});

test('checkMpm: exactly one MPM must be loaded', () => {
  const none = loadSnippet('ServerName x', { mpm: null });
  expect(none.errorText).toBeUndefined();
  expect(checkMpm(none.result.state!)).toBe('No MPM loaded.');
  const one = ok('ServerName x', { mpm: 'prefork' });
  expect(checkMpm(one.result.state!)).toBeUndefined();
  const two = ok('ServerName x', { modules: ['mpm_worker'] });
  expect(checkMpm(two.result.state!)).toBe('More than one MPM loaded.');
  [none, one, two].forEach(cleanup);
});

test('without an MPM, Listen is an unknown directive (httpd declares it in each MPM)', () => {
  const s = loadSnippet('Listen 80', { mpm: null });
  expect(s.message).toBe(
    "Invalid command 'Listen', perhaps misspelled or defined by a module not included in the server configuration",
  );
  cleanup(s);
});
