/**
 * The access, authentication, headers, rewrite, SSL, remoteip and http2 directives checked
 * side by side with the real httpd: each config is given to `apache2 -t` and to loadConfig,
 * and the error text must be the same.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatConfigError, loadConfig } from '../../config/load.js';
import { defaultRegistry } from '../index.js';

const APACHE = '/usr/sbin/apache2';
const MODDIR = '/usr/lib/apache2/modules';
const MODULES = [
  'authz_core', 'authz_host', 'authz_user', 'authz_groupfile', 'authn_core', 'authn_file', 'auth_basic',
  'access_compat', 'headers', 'rewrite', 'ssl', 'socache_shmcb', 'remoteip', 'http2', 'proxy',
];

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-apache-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(root, 'key.pem'), '-out', path.join(root, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(root, 'empty.pem'), '');
  fs.writeFileSync(path.join(root, 'map.txt'), 'a b\n');
  fs.writeFileSync(path.join(root, 'proxies.txt'), '10.0.0.0/8\nbad/99\n');
});

function configFor(body: string): string {
  const file = path.join(root, `httpd-${Math.random().toString(36).slice(2)}.conf`);
  const lines = [
    `LoadModule mpm_event_module ${MODDIR}/mod_mpm_event.so`,
    ...MODULES.map((m) => `LoadModule ${m}_module ${MODDIR}/mod_${m}.so`),
    `ErrorLog ${root}/error.log`,
    `PidFile ${root}/httpd.pid`,
    'ServerName localhost',
    body,
  ];
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** What apache2 -t says: the syntax error (two lines), or 'Syntax OK'. */
function apache(file: string): string {
  const r = spawnSync(APACHE, ['-t', '-d', root, '-f', file], { encoding: 'utf8' });
  const out = `${r.stderr}${r.stdout}`;
  const lines = out.split('\n');
  const i = lines.findIndex((l) => l.startsWith('AH00526:'));
  if (i >= 0) return `${lines[i]}\n${lines[i + 1]}`;
  return out.includes('Syntax OK') ? 'Syntax OK' : out.trim();
}

function featherd(file: string): string {
  const r = loadConfig({ file, serverRoot: root, registry: defaultRegistry() });
  if (r.error) return formatConfigError(r.error);
  return 'Syntax OK';
}

const loc = (s: string) => `<Location />\n${s}\n</Location>`;
const vh = (s: string) => `<VirtualHost *:443>\n${s}\n</VirtualHost>`;

const CASES: string[] = [
  loc('Require'),
  loc('Require nosuch'),
  loc('Require all maybe'),
  loc('Require not all granted'),
  loc('Require method FOO'),
  loc('Require ip'),
  loc('Require ip 1.2.3.4/40'),
  loc('Require ip nohost'),
  loc('Require ip ::ffff:1.2.3.4'),
  loc('Require expr'),
  loc('<RequireAll>\n</RequireAll>'),
  loc('<RequireNone>\nRequire ip 10.0.0.1\n</RequireNone>'),
  loc('<RequireAll x>\nRequire ip 10.0.0.1\n</RequireAll>'),
  loc('AuthMerging maybe'),
  loc('Require method GET HEAD PATCH\nRequire local\n<RequireAll>\nRequire valid-user\nRequire not env BLOCKED\n</RequireAll>'),
  '<AuthzProviderAlias ip lan "10.1/8">\n</AuthzProviderAlias>',
  '<AuthzProviderAlias ip>\n</AuthzProviderAlias>',
  '<AuthnProviderAlias file file>\n</AuthnProviderAlias>',
  '<AuthnProviderAlias file staff>\nAuthUserFile /etc/staff\n</AuthnProviderAlias>\n<Location />\nAuthBasicProvider staff\n</Location>',
  loc('Allow from env=#x'),
  loc('Order deny,allow\nDeny from all\nAllow from 10.0.0.0/255.0.0.0 example.org env=!X'),
  loc('Order allow'),
  loc('Deny to 10.1/8'),
  loc('Allow from 10.0.0.1/33'),
  loc('Deny from 10.1/8'),
  loc('Allow from a#b'),
  loc('Satisfy bogus'),
  loc('Satisfy all any'),
  loc('AuthBasicProvider nosuch'),
  loc('AuthBasicUseDigestAlgorithm SHA'),
  loc('AuthUserFile /x y'),
  loc('Header set'),
  loc('Header foo X y'),
  loc('Header set X y z w v'),
  loc('Header unset X y z'),
  loc('RequestHeader echo X'),
  loc('RequestHeader note X y'),
  loc('Header edit X ( y'),
  loc('Header set X y bogus'),
  loc('Header set X y env=!'),
  loc('Header set X %z'),
  'Header always set X-A "%t %D" env=!NO\nRequestHeader unset Proxy early',
  loc('Require expr %{NOSUCHVAR} == 1'),
  loc('Require expr "%{REMOTE_ADDR} -ipmatch \'10.0.0.0/8\'"'),
  loc('Require host %{NOSUCHVAR}'),
  loc('AuthName "%{NOSUCHVAR}"'),
  loc('Header set X y "expr=%{NOSUCH} == 1"'),
  loc('Header set X "expr=%{NOSUCH}"'),
  'RewriteCond expr "%{NOSUCH} =~ /x/"\nRewriteRule ^ -',
  'RewriteCond expr "%{REQUEST_URI} =~ m#^/x#"\nRewriteRule ^ -',
  'RewriteRule ^/a',
  'RewriteRule ^/a /b [L',
  'RewriteRule ^/a /b [XYZ]',
  'RewriteRule ^/a /b [R=999]',
  'RewriteRule ^/a /b [BNE]',
  'RewriteRule ^(/a /b',
  'RewriteRule ^/a /b [R=301,QSA,L,NE,END,UnsafeAllow3F]',
  'RewriteCond %{HTTP_HOST}',
  'RewriteCond %{HTTP_HOST} ^x [X]',
  'RewriteCond %{HTTP_HOST} ^(x',
  'RewriteOptions nosuch',
  'RewriteBase /x',
  'RewriteMap m txt:/nonexistent/map',
  'RewriteMap m dbm=foo:/nonexistent/map',
  'RewriteMap m int:nosuch',
  'RewriteMap m dbd:SELECT 1',
  'RewriteMap m txt:map.txt',
  'RewriteEngine maybe',
  vh('SSLEngine maybe'),
  vh('SSLCertificateFile /nonexistent.pem'),
  vh('SSLCertificateFile empty.pem'),
  vh('SSLProtocol nosuch'),
  vh('SSLProtocol +SSLv2'),
  vh('SSLVerifyClient nosuch'),
  vh('SSLSessionCache shmcb:/tmp/x(512000)'),
  'SSLSessionCache nosuch',
  vh('SSLEngine on\nSSLCertificateFile cert.pem\nSSLCertificateKeyFile key.pem\nSSLProtocol all -TLSv1 -TLSv1.1\nSSLProxyEngine on'),
  loc('SSLProxyEngine on'),
  '<Directory /tmp>\nSSLProxyVerify require\n</Directory>',
  '<Proxy "http://backend/">\nSSLProxyEngine on\nSSLProxyCheckPeerName off\nSSLProxyVerify none\n</Proxy>',
  loc('SSLVerifyClient require\nSSLOptions +StdEnvVars -ExportCertData\nSSLRequireSSL'),
  'RemoteIPInternalProxy 10.0.0.0/33',
  'RemoteIPTrustedProxyList proxies.txt',
  'RemoteIPHeader',
  'H2Upgrade maybe',
  'H2WindowSize 10',
];

/** httpd lists provider names in hash order, which varies between runs: compare them sorted. */
function normalize(s: string): string {
  return s.replace(/\(known names: ([^)]*)\)/, (_m, names: string) => `(known names: ${names.split(',').sort().join(',')})`);
}

describe('same errors as apache2 -t', () => {
  test.each(CASES)('%s', (body) => {
    const file = configFor(body);
    expect(normalize(featherd(file))).toBe(normalize(apache(file)));
  });
});
