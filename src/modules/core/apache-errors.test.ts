/**
 * Configuration errors compared with Apache: every expected text below is what
 * `apache2 -t` (Apache/2.4.71, Debian) printed for the same configuration, with
 * `LoadModule mpm_event_module …` first and the listed modules loaded.
 */
import { bodyLine, cleanup, loadSnippet } from './testing.js';

type Case = [body: string, line: number, message: string, modules?: string[]];

const cases: Case[] = [
  ['Listen 8080\nListen 8080', 2, 'Cannot define multiple Listeners on the same IP:port'],
  ['Listen 8080\nListen *:8080', 2, 'Cannot define multiple Listeners on the same IP:port'],
  ['Listen abc', 1, 'Port must be specified'],
  ['Listen [::1]', 1, 'Port must be specified'],
  ['Listen 0', 1, 'Invalid address or port'],
  ['Listen 70000', 1, 'Invalid address or port'],
  ['Listen [zz]:80', 1, 'Invalid address or port'],
  ['Listen', 1, 'Listen requires 1 or 2 arguments.'],
  ['Listen 80 http extra', 1, 'Listen requires 1 or 2 arguments.'],
  ['<VirtualHost *:80>\nListen 8080\n</VirtualHost>', 2, 'Listen cannot occur within <VirtualHost> section'],
  ['<Directory /tmp>\nListen 80\n</Directory>', 2, 'Listen not allowed in <Directory> context'],
  ['<VirtualHost 80>\n</VirtualHost>', 1, 'Missing address for VirtualHost'],
  ['<VirtualHost [zz]:80>\n</VirtualHost>', 1, 'The address or port is invalid'],
  ['<VirtualHost 1.2.3.4:0>\n</VirtualHost>', 1, 'The address or port is invalid'],
  ['<VirtualHost :80>\n</VirtualHost>', 1, 'The address or port is invalid'],
  ['<VirtualHost>\n</VirtualHost>', 1, '<VirtualHost> directive requires additional arguments'],
  ['<VirtualHost *:80>\n<VirtualHost *:81>\n</VirtualHost>\n</VirtualHost>', 2, '<VirtualHost> cannot occur within <VirtualHost> section'],
  ['ServerName *.example.com', 1, 'Invalid ServerName "*.example.com" use ServerAlias to set multiple server names.'],
  ['ServerName example.com:0', 1, 'The port number "example.com:0" is outside the appropriate range (i.e., 1..65535).'],
  ['ServerName example.com:abc', 1, 'The port number "example.com:abc" is outside the appropriate range (i.e., 1..65535).'],
  ['ServerName example.com:70000', 1, 'The port number "example.com:70000" is outside the appropriate range (i.e., 1..65535).'],
  ['<VirtualHost *:80>\nServerAlias a *.b\nServerName x?\n</VirtualHost>', 3, 'Invalid ServerName "x?" use ServerAlias to set multiple server names.'],
  ['ServerAlias foo', 1, 'ServerAlias only used in <VirtualHost>'],
  ['<Directory /tmp>\nServerName x\n</Directory>', 2, 'ServerName not allowed in <Directory> context'],
  ['ServerAdmin a b', 1, 'ServerAdmin takes one argument, The email address of the server administrator'],
  ['Timeout 5 6', 1, 'Timeout takes one argument, Timeout duration (sec)'],
  ['<Location />\nTimeout 5\n</Location>', 2, 'Timeout not allowed in <Location> context'],
  ['KeepAlive', 1, 'KeepAlive must be On or Off'],
  ['KeepAliveTimeout abc', 1, 'KeepAliveTimeout has wrong format'],
  ['KeepAliveTimeout -1', 1, 'KeepAliveTimeout has wrong format'],
  ['KeepAliveTimeout 2m', 1, 'KeepAliveTimeout has wrong format'],
  ['MaxKeepAliveRequests 5 6', 1, 'MaxKeepAliveRequests takes one argument, Maximum number of Keep-Alive requests per connection, or 0 for infinite'],
  ['LimitRequestBody abc', 1, 'LimitRequestBody requires a non-negative integer.'],
  ['LimitRequestBody -1', 1, 'LimitRequestBody requires a non-negative integer.'],
  ['LimitRequestBody 99999999999999999999', 1, 'LimitRequestBody argument is not parsable.'],
  ['LimitRequestLine -5', 1, 'LimitRequestLine "-5" must be a non-negative integer'],
  ["ServerTokens bogus", 1, "ServerTokens takes 1 argument: 'Prod(uctOnly)', 'Major', 'Minor', 'Min(imal)', 'OS', or 'Full'"],
  ['ServerSignature bogus', 1, 'ServerSignature: use one of: off | on | email'],
  ['HostnameLookups maybe', 1, "parameter must be 'on', 'off', or 'double'"],
  ['UseCanonicalName maybe', 1, "parameter must be 'on', 'off', or 'dns'"],
  ['TraceEnable maybe', 1, "TraceEnable must be one of 'on', 'off', or 'extended'"],
  ['AllowEncodedSlashes maybe', 1, 'AllowEncodedSlashes must be On, Off, or NoDecode'],
  ['HttpProtocolOptions Strict Unsafe', 1, "HttpProtocolOptions 'Strict' and 'Unsafe' are mutually exclusive"],
  ['HttpProtocolOptions bogus', 1, "HttpProtocolOptions accepts 'Unsafe' or 'Strict' (default), 'RegisteredMethods' or 'LenientMethods' (default), and 'Require1.0' or 'Allow0.9' (default)"],
  ['MergeSlashes maybe', 1, 'MergeSlashes must be On or Off'],
  ['StrictHostCheck maybe', 1, 'StrictHostCheck must be On or Off'],
  ['ErrorDocument 999 /x', 1, 'Unsupported HTTP response code 999'],
  ['ErrorDocument abc /x', 1, 'Unsupported HTTP response code abc'],
  ['ErrorDocument 404 "%{X}"', 1, "Cannot parse expression in ErrorDocument: Variable 'X' does not exist"],
  ['ErrorDocument 404 "%{REQUEST_URI"', 1, "Cannot parse expression in ErrorDocument: syntax error, unexpected T_ERROR, expecting T_VAR_END or ':': Unterminated string or variable"],
  ['ErrorDocument 404', 1, 'ErrorDocument takes two arguments, Change responses for HTTP errors'],
  ['Options Bogus', 1, 'Illegal option Bogus'],
  ['Options +Indexes FollowSymLinks', 1, 'Either all Options must start with + or -, or no Option may.'],
  ['Options Indexes None', 1, "'Options None' must be the first Option given."],
  ['Options +All', 1, "You may not use 'Options +All' or 'Options -All'."],
  ['<Directory />\nAllowOverride Bogus\n</Directory>', 2, 'Illegal override option Bogus'],
  ['<Directory />\nAllowOverride Options=Bogus\n</Directory>', 2, 'Illegal option Bogus'],
  ['AllowOverride None', 1, 'AllowOverride not allowed here'],
  ['AcceptPathInfo maybe', 1, 'AcceptPathInfo must be set to on, off or default'],
  ['EnableMMAP maybe', 1, "parameter must be 'on' or 'off'"],
  ['EnableSendfile maybe', 1, "parameter must be 'on' or 'off'"],
  ['FileETag Bogus', 1, "Unknown keyword 'Bogus' for FileETag directive"],
  ['FileETag +None', 1, "FileETag keyword 'None' cannot be used with '+' or '-'"],
  ['AddDefaultCharset', 1, "AddDefaultCharset takes one argument, The name of the default charset to add to any Content-Type without one or 'Off' to disable"],
  ['ProtocolsHonorOrder maybe', 1, "ProtocolsHonorOrder must be 'on' or 'off'"],
  ['Mutex bogus', 1, "Invalid Mutex argument bogus (Mutex mechanisms are: 'none', 'default', 'flock:/path/to/file', 'fcntl:/path/to/file', 'file:/path/to/file', 'pthread', 'sysvsem', 'posixsem', 'sem')"],
  ['Mutex default:/nonexist', 1, 'Invalid Mutex directory in argument default:/nonexist'],
  ['RegexDefaultOptions bogus', 1, "RegexDefaultOptions: option 'bogus' unknown"],
  ['LimitInternalRecursion 0', 1, 'The recursion limit must be greater than zero.'],
  ['MaxRanges -5', 1, "MaxRanges requires 'none', 'default', 'unlimited' or a positive integer"],
  ['Port 80', 1, 'Port was replaced with Listen in Apache 2.0'],
  ['ErrorLogFormat bogus x', 1, 'ErrorLogFormat type must be one of request, connection'],
  ['ReadBufferSize abc', 1, 'parameter must be a number between 0 and (4294967295U)): abc'],
  ['FlushMaxPipelined abc', 1, 'parameter must be a number between -1 and (2147483647): abc'],
  ['CGIVar REQUEST_URI x', 1, "Valid rules for REQUEST_URI are 'current-uri' and 'original-uri'"],
  ['CGIVar FOO original-uri', 1, 'Unrecognized CGI variable: "FOO"'],
  ['<VirtualHost *>\nPidFile /tmp/x.pid\n</VirtualHost>', 2, 'PidFile cannot occur within <VirtualHost> section'],
  ['CoreDumpDirectory /nonexist', 1, 'CoreDumpDirectory /nonexist does not exist'],
  ['DocumentRoot /nonexist', 1, "DocumentRoot '/nonexist' is not a directory, or is not readable"],
  ['<Location />\nDocumentRoot /tmp\n</Location>', 2, 'DocumentRoot not allowed in <Location> context'],
  ['LogLevel bogus', 1, 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8'],
  ['LogLevel trace9', 1, 'Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8'],
  ['LogLevel warn proxy:trace2', 1, 'Cannot find module proxy'],
  ['LogLevel ALIAS:warn', 1, 'Cannot find module ALIAS', ['alias']],
  ['LogLevel http_core:info', 1, 'Cannot find module http_core'],
  ['LogLevel core:', 1, "Module specifier 'core' must be followed by a log level keyword"],
  ['LogLevel core:bogus', 1, 'core:bogus: Log level keyword must be one of emerg/alert/crit/error/warn/notice/info/debug/trace1/.../trace8'],
  ['LogLevel', 1, 'LogLevel requires at least one argument, Level of verbosity in error logging'],
  ['Error "hello world"', 1, 'hello world'],
  // sections
  ['<Directory /tmp\n</Directory>', 1, "<Directory> directive missing closing '>'"],
  ['<Directory >\n</Directory>', 1, '<Directory> directive requires additional arguments'],
  ['<Directory /tmp /var>\n</Directory>', 1, 'Multiple <Directory> arguments not (yet) supported.'],
  ['<Directory ~ "(">\n</Directory>', 1, 'Regex could not be compiled'],
  ['<DirectoryMatch "(">\n</DirectoryMatch>', 1, 'Regex could not be compiled'],
  ['<Location ~ "(">\n</Location>', 1, 'Regex could not be compiled'],
  ['<LocationMatch "a{2,1}">\n</LocationMatch>', 1, 'Regex could not be compiled'],
  ['<Location ~ "a" "b">\n</Location>', 1, 'Multiple <Location> arguments not (yet) supported.'],
  ['<Files ~ "[">\n</Files>', 1, 'Regex could not be compiled'],
  ['<Files>\n</Files>', 1, '<Files> directive requires additional arguments'],
  ['<If>\n</If>', 1, '<If> directive requires additional arguments'],
  ['<If "true" x>\n</If>', 1, 'Multiple <If> arguments not supported.'],
  ['<If "%{X} ==">\n</If>', 1, "Cannot parse condition clause: syntax error, unexpected $end: Variable 'X' does not exist"],
  ['<Else x>\n</Else>', 1, '<Else> does not take an argument'],
  ['<Else>\n</Else>', 1, '<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope'],
  ['<If "true">\n</If>\n<Else>\n</Else>\n<Else>\n</Else>', 5, '<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope'],
  ['<If "true">\n</If>\n<VirtualHost *:80>\n<Else>\n</Else>\n</VirtualHost>', 4, '<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope'],
  ['<Directory /tmp>\n<If "true">\n</If>\n</Directory>\n<Else>\n</Else>', 5, '<Else> or <ElseIf> section without previous <If> or <ElseIf> section in same scope'],
  ['<Files x>\n<Location />\n</Location>\n</Files>', 2, '<Location not allowed in <Files> context'],
  ['<Location />\n<Files x>\n</Files>\n</Location>', 2, '<Files> cannot occur within <Location> section'],
  ['<Directory />\n<Directory /tmp>\n</Directory>\n</Directory>', 2, '<Directory not allowed in <Directory> context'],
  ['<Location />\n<VirtualHost *:80>\n</VirtualHost>\n</Location>', 2, '<VirtualHost not allowed in <Location> context'],
  ['<Location />\n<Limit GET>\n<Limit GET>\n</Limit>\n</Limit>\n</Location>', 3, '<Limit> directive specifies methods already excluded'],
  ['<Location />\n<Limit GET>\n<Limit POST>\n</Limit>\n</Limit>\n</Location>', 3, '<Limit> directive excludes all methods'],
  ['<Location />\n<Limit GET>\n<LimitExcept GET>\n</LimitExcept>\n</Limit>\n</Location>', 3, '<LimitExcept> directive excludes all methods'],
  ['<Location />\n<Limit TRACE>\n</Limit>\n</Location>', 2, 'TRACE cannot be controlled by <Limit>, see TraceEnable'],
  ['<Location />\n<Limit>\n</Limit>\n</Location>', 2, '<Limit> directive requires additional arguments'],
  ['<Location />\n<Limit GET\n</Limit>\n</Location>', 2, "<Limit> directive missing closing '>'"],
  ['<Location />\n<Limit GET>\n<Files x>\n</Files>\n</Limit>\n</Location>', 3, '<Files> cannot occur within <Limit> or <LimitExcept> section'],
  ['<Directory />\n<Limit GET>\n<Files x>\n</Files>\n</Limit>\n</Directory>', 3, '<Files> cannot occur within <Limit> or <LimitExcept> section'],
  ['<Directory />\n<Limit GET>\n<If "true">\n</If>\n</Limit>\n</Directory>', 3, '<If> cannot occur within <Limit> or <LimitExcept> section'],
  ['<Limit GET>\n</Limit>', 1, '<Limit not allowed here'],
  ['<VirtualHost *:80>\n<Limit GET>\n</Limit>\n</VirtualHost>', 2, '<Limit not allowed in <VirtualHost> context'],
  // http_core / MPM / others
  ['ListenBacklog 0', 1, 'ListenBacklog must be > 0'],
  ['SendBufferSize 100', 1, 'SendBufferSize must be >= 512 bytes, or 0 for system default.'],
  ['ReceiveBufferSize 100', 1, 'ReceiveBufferSize must be >= 512 bytes, or 0 for system default.'],
  ['ListenCoresBucketsRatio 0', 1, 'ListenCoresBucketsRatio must be > 0'],
  ['ListenTCPDeferAccept 0', 1, 'ListenTCPDeferAccept must be > 0'],
  ['AsyncRequestWorkerFactor abc', 1, 'error parsing value'],
  ['AsyncRequestWorkerFactor -1', 1, 'AsyncRequestWorkerFactor argument must be a positive number'],
  ['<VirtualHost *:80>\nStartServers 1\n</VirtualHost>', 2, 'StartServers cannot occur within <VirtualHost> section'],
  ['<VirtualHost *:80>\nUser x\n</VirtualHost>', 2, 'User cannot occur within <VirtualHost> section'],
  ['ChrootDir /nonexist', 1, 'ChrootDir must be a valid directory'],
  ['WatchdogInterval 0', 1, 'Invalid WatchdogInterval: minimal value 100ms'],
  ['WatchdogInterval abc', 1, 'Unparse-able WatchdogInterval setting'],
  ['<VirtualHost *:80>\nWatchdogInterval 5\n</VirtualHost>', 2, 'WatchdogInterval cannot occur within <VirtualHost> section'],
  ['FancyIndexing on', 1, 'The FancyIndexing directive is no longer supported. Use IndexOptions FancyIndexing.', ['autoindex']],
];

describe('errors as apache2 -t prints them', () => {
  const rows = cases.map(([body, line, message, modules]) => ({ body, line, message, modules: modules ?? [] }));
  test.each(rows)('$body', ({ body, line, message, modules }) => {
    const opts = { modules };
    const s = loadSnippet(body, opts);
    try {
      expect(s.errorText).toBe(`AH00526: Syntax error on line ${bodyLine(opts) + line - 1} of ${s.file}:\n${message}`);
    } finally {
      cleanup(s);
    }
  });
});

type Ok = [body: string, modules?: string[]];
const accepted: Ok[] = [
  ['Listen 8080\nListen 0.0.0.0:8080'],
  ['Listen [::1]:8080\nListen 127.0.0.1:8080 https\nListen [fe80::1%eth0]:8081'],
  ['ServerName https://example.com:443\nServerName example.com:8080x'],
  ['Timeout abc\nMaxKeepAliveRequests -1\nKeepAliveTimeout 100ms\nKeepAliveTimeout 3mi\nKeepAliveTimeout 1h'],
  ['<VirtualHost *:*>\n</VirtualHost>\n<VirtualHost _default_:443>\n</VirtualHost>\n<VirtualHost [::1]>\n</VirtualHost>'],
  ['<Directory ~>\n</Directory>\n<Location ~>\n</Location>\n<Files ~>\n</Files>\n<Location "(">\n</Location>'],
  ['<LocationMatch "(?<name>a)">\n</LocationMatch>\n<Directory ~ "a*+">\n</Directory>\n<Directory ~ "(?>a)[[:alpha:]]">\n</Directory>'],
  ['<If "true">\n</If>\n<ElseIf "false">\n</ElseIf>\n<Else>\n</Else>'],
  ['<If "true">\n</If>\nServerAdmin x\n<Files x>\n</Files>\n<Else>\n</Else>'],
  ['<If "true">\n<If "false">\n</If>\n<Else>\n</Else>\n</If>'],
  ['<Directory />\n<If "true">\n<Files x>\n</Files>\n</If>\n</Directory>\n<Location />\n<If "true">\n</If>\n</Location>'],
  ['Options None +Indexes\n<Directory />\nAllowOverride Options=Indexes,FollowSymLinks AuthConfig\nAllowOverrideList\n</Directory>'],
  ['ErrorDocument 404 default\nErrorDocument 200 /x\nErrorDocument 404x /x\nErrorDocument 401 http://x/'],
  ['ServerTokens prod\nServerTokens Minimal\nAllowEncodedSlashes NoDecode\nLimitRequestLine 5x\nSetHandler none'],
  ['LogLevel mod_alias.c:warn alias_module:warn alias:info\nLogLevel Warn http:info mpm_event:info so:info', ['alias']],
  ['Mutex file:/tmp default\nNameVirtualHost *:80\nDefaultType text/plain'],
  ['MaxClients 10\nStartServers 0\nGracefulShutdownTimeout abc\nUser nobody\nGroup nogroup'],
  ['AddType text/html .x\nAddDefaultCharset utf-8', ['mime']],
  ['<Location />\n<Limit GET POST>\n<Limit POST>\n</Limit>\n</Limit>\n<LimitExcept TRACE>\n</LimitExcept>\n</Location>'],
  ['<Directory />\n<Limit get FOO>\nOptions None\n</Limit>\n<LimitExcept GET>\n<LimitExcept GET POST>\n</LimitExcept>\n</LimitExcept>\n</Directory>'],
  ['ErrorDocument 404 /x%{REQUEST_URI}\n<Location /a>\nRedirect foo\n</Location>', ['alias']],
];

describe('configurations apache2 -t accepts', () => {
  const rows = accepted.map(([body, modules]) => ({ body, modules: modules ?? [] }));
  test.each(rows)('$body', ({ body, modules }) => {
    const s = loadSnippet(body, { modules });
    try {
      expect(s.errorText).toBeUndefined();
    } finally {
      cleanup(s);
    }
  });
});
