import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { walkText } from '../authz_core/testing.js';
import { sslServerConfig } from './module.js';

const MODS = ['ssl_module', 'socache_shmcb_module', 'proxy_module'];
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-ssl-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '2', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(dir, 'empty.pem'), '');
});

const vh = (body: string) => walkText(`<VirtualHost *:443>\n${body}\n</VirtualHost>`, MODS, dir);

describe('mod_ssl', () => {
  test('errors as httpd', () => {
    const cases: [string, string][] = [
      ['SSLEngine maybe', 'Argument must be On or Off'],
      ['SSLCertificateFile /nonexist', "SSLCertificateFile: file '/nonexist' does not exist or is empty"],
      [`SSLCertificateFile ${dir}/empty.pem`, `SSLCertificateFile: file '${dir}/empty.pem' does not exist or is empty`],
      [`SSLCertificateFile ${dir}`, `SSLCertificateFile: file '${dir}' does not exist or is empty`],
      ['SSLCertificateKeyFile nope.pem', `SSLCertificateKeyFile: file '${dir}/nope.pem' does not exist or is empty`],
      ['SSLCACertificatePath /nonexist', "SSLCACertificatePath: directory '/nonexist' does not exist"],
      ['SSLProtocol foo', "SSLProtocol: Illegal protocol 'foo'"],
      ['SSLProtocol +SSLv2', 'SSLProtocol: SSLv2 is no longer supported'],
      ['SSLProtocol SSLv3', 'SSLv3 not supported by this version of OpenSSL'],
      ['SSLProxyProtocol foo', "SSLProxyProtocol: Illegal protocol 'foo'"],
      ['SSLVerifyClient foo', "SSLVerifyClient: Invalid argument 'foo'"],
      ['SSLProxyVerify foo', "SSLProxyVerify: Invalid argument 'foo'"],
      ['SSLVerifyDepth -1', "SSLVerifyDepth: Invalid argument '-1'"],
      ['SSLOptions +Foo', "SSLOptions: Illegal option 'Foo'"],
      ['SSLSessionCache foo', 'SSLSessionCache cannot occur within <VirtualHost> section'],
      ['SSLCipherSuite a b c', "SSLCipherSuite takes 1-2 arguments, Colon-delimited list of permitted SSL Ciphers, optional preceded by protocol identifier ('XXX:...:XXX' - see manual)"],
      ['SSLHonorCipherOrder x', 'SSLHonorCipherOrder must be On or Off'],
      ['SSLProxyProtocol SSLv2', 'SSLProtocol: SSLv2 is no longer supported'],
      ['SSLProtocol all +sslv3', 'SSLv3 not supported by this version of OpenSSL'],
      ['SSLCipherSuite TLSv1.2 HIGH', "protocol 'TLSv1.2' not supported"],
      ['SSLProxyCipherSuite ssl HIGH', "protocol 'ssl' not supported"],
    ];
    for (const [line, msg] of cases) expect([line, vh(line).error]).toEqual([line, msg]);
    expect(walkText('SSLSessionCache foo', MODS).error).toBe(
      "SSLSessionCache: 'foo' session cache not supported (known names: default,shmcb). Maybe you need to load the appropriate socache module (mod_socache_foo?).",
    );
    expect(walkText('<Location />\nSSLProxyEngine on\n</Location>', MODS).error).toBe('SSLProxyEngine not allowed in <Location> context');
  });

  test('SSLProtocol: names in any case, -SSLv2/-SSLv3 change nothing, a bare name replaces the set (AH02532)', () => {
    const { error, state } = vh('SSLProtocol -SSLv3 -sslv2 tlsv1.1 +TLSV1.2\nSSLProtocol TLSv1.3');
    expect(error).toBeUndefined();
    expect(sslServerConfig(state.vhosts[0].configs)?.protocols).toEqual(['TLSv1.3']);
    expect(state.diagnostics).toEqual([]);
    const warned = vh('SSLProtocol TLSv1.2 TLSv1.3');
    expect(sslServerConfig(warned.state.vhosts[0].configs)?.protocols).toEqual(['TLSv1.3']);
    expect(warned.state.diagnostics).toEqual([
      expect.objectContaining({ code: 'AH02532', message: "SSLProtocol: Protocol 'TLSv1.3' overrides already set parameter(s). Check if a +/- prefix is missing." }),
    ]);
  });

  test('records the honoured settings', () => {
    const { error, state } = vh(
      [
        'SSLEngine on',
        'SSLCertificateFile c.pem',
        'SSLCertificateKeyFile k.pem',
        'SSLProtocol all -TLSv1 -TLSv1.1',
        'SSLCipherSuite HIGH:!aNULL',
        'SSLCipherSuite TLSv1.3 TLS_AES_256_GCM_SHA384',
        'SSLHonorCipherOrder on',
        'SSLProxyEngine on',
        'SSLProxyVerify require',
        `SSLProxyCACertificateFile ${dir}/c.pem`,
        'SSLProxyCheckPeerName off',
      ].join('\n'),
    );
    expect(error).toBeUndefined();
    const conf = sslServerConfig(state.vhosts[0].configs);
    expect(conf?.engine).toBe('on');
    expect(conf?.certificateFiles).toEqual([path.join(dir, 'c.pem')]);
    expect(conf?.keyFiles).toEqual([path.join(dir, 'k.pem')]);
    expect(conf?.protocols).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(conf?.cipherSuite).toEqual({ SSL: 'HIGH:!aNULL', 'TLSv1.3': 'TLS_AES_256_GCM_SHA384' });
    expect(conf?.honorCipherOrder).toBe(true);
    expect(conf?.proxy).toEqual(expect.objectContaining({ engine: true, verify: 'require', caCertificateFile: path.join(dir, 'c.pem'), checkPeerName: false }));
  });
});
