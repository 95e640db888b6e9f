/**
 * TLS termination end to end: featherd in-process with certificates made by openssl, clients
 * with node:https and raw sockets. Expected behaviour as observed with httpd 2.4.71 + mod_ssl
 * (SNI/Host mismatch → 421 and AH02032; plain HTTP on a TLS port → 400 with httpd's reason;
 * certificate problems refuse to start with AH02565 / AH02562).
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { freePort, tempDir, within } from '../../runtime/testkit.js';
import { makeCerts, startFeatherd, type Certs, type Running } from './testkit.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

let certs: Certs;
let certDir: string;
beforeAll(() => {
  certDir = tempDir('featherd-tls-certs-');
  certs = makeCerts(certDir, ['www.example.com', 'other.example.com']);
}, 60_000);
afterAll(() => fs.rmSync(certDir, { recursive: true, force: true }));

interface Backend {
  port: number;
  seen: { url: string; headers: http.IncomingHttpHeaders }[];
}

async function backend(): Promise<Backend> {
  const seen: Backend['seen'] = [];
  const srv = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.setHeader('Content-Type', 'text/plain');
    res.end(`backend saw ${req.url}`);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise<void>((r) => {
    srv.closeAllConnections();
    srv.close(() => r());
  }));
  return { port: (srv.address() as AddressInfo).port, seen };
}

function vhosts(port: number, be: number, extra = ''): string {
  const w = certs.files.get('www.example.com')!;
  const o = certs.files.get('other.example.com')!;
  return `Listen 127.0.0.1:${port} https
LogFormat "%h \\"%r\\" %>s %{SSL_PROTOCOL}x %{SSL_TLS_SNI}x %{HTTPS}e" tls
${extra}
<VirtualHost *:${port}>
ServerName www.example.com
SSLEngine on
SSLCertificateFile ${w.cert}
SSLCertificateKeyFile ${w.key}
ProxyPass / http://127.0.0.1:${be}/www/
</VirtualHost>
<VirtualHost *:${port}>
ServerName other.example.com
SSLEngine on
SSLCertificateFile ${o.cert}
SSLCertificateKeyFile ${o.key}
ProxyPass / http://127.0.0.1:${be}/other/
</VirtualHost>
<VirtualHost *:${port}>
ServerName third.example.com
SSLEngine on
SSLCertificateFile ${w.cert}
SSLCertificateKeyFile ${w.key}
ProxyPass / http://127.0.0.1:${be}/third/
</VirtualHost>
`;
}

async function serve(body: string): Promise<{ running: Running; dir: string }> {
  const dir = tempDir('featherd-tls-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await startFeatherd(dir, body);
  if (!r.ok) throw new Error(r.error);
  cleanup.push(() => r.value.stop());
  return { running: r.value, dir };
}

interface Reply {
  status: number;
  body: string;
  certCN: string;
  protocol: string | null;
}

function get(port: number, opts: { sni?: string; host: string; path?: string; cert?: { cert: string; key: string } }): Promise<Reply> {
  return within(
    new Promise<Reply>((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port,
          path: opts.path ?? '/a',
          headers: { Host: opts.host },
          ca: fs.readFileSync(certs.caCert),
          agent: false,
          ...(opts.sni !== undefined ? { servername: opts.sni } : {}),
          ...(opts.cert ? { cert: fs.readFileSync(opts.cert.cert), key: fs.readFileSync(opts.cert.key) } : {}),
          checkServerIdentity: () => undefined,
        },
        (res) => {
          let body = '';
          res.setEncoding('latin1');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => {
            const s = res.socket as tls.TLSSocket;
            resolve({ status: res.statusCode ?? 0, body, certCN: String(s.getPeerCertificate().subject?.CN ?? ''), protocol: s.getProtocol() });
          });
        },
      );
      req.on('error', reject);
      req.end();
    }),
    10_000,
    `GET ${opts.path ?? '/a'} on ${port}`,
  );
}

test('SNI selects the name-based virtual host and its certificate', async () => {
  const be = await backend();
  const port = await freePort();
  await serve(vhosts(port, be.port));
  const www = await get(port, { sni: 'www.example.com', host: 'www.example.com' });
  expect(www).toMatchObject({ status: 200, body: 'backend saw /www/a', certCN: 'www.example.com' });
  const other = await get(port, { sni: 'other.example.com', host: 'other.example.com' });
  expect(other).toMatchObject({ status: 200, body: 'backend saw /other/a', certCN: 'other.example.com' });
  // No SNI: the first virtual host of the address answers the handshake.
  const bare = await get(port, { sni: '', host: 'www.example.com' });
  expect(bare.certCN).toBe('www.example.com');
  // httpd's default protocols are TLSv1.2 and TLSv1.3.
  expect(['TLSv1.2', 'TLSv1.3']).toContain(www.protocol);
}, 30_000);

test('a Host whose virtual host has another TLS setup than the SNI one gets 421 (AH02032)', async () => {
  const be = await backend();
  const port = await freePort();
  const { dir } = await serve(vhosts(port, be.port));
  const r = await get(port, { sni: 'www.example.com', host: 'other.example.com' });
  expect(r.status).toBe(421);
  expect(r.body).toContain('<title>421 Misdirected Request</title>');
  expect(r.body).toContain('the Server Name Indication (SNI) in use for this\nconnection.</p>');
  // Same certificate and settings: the request is served by the Host's virtual host.
  const third = await get(port, { sni: 'www.example.com', host: 'third.example.com' });
  expect(third).toMatchObject({ status: 200, body: 'backend saw /third/a' });
  // No SNI: the address's default host is compared.
  const nosni = await get(port, { sni: '', host: 'other.example.com' });
  expect(nosni.status).toBe(421);
  expect(be.seen.map((s) => s.url)).toEqual(['/third/a']);
  const log = fs.readFileSync(path.join(dir, 'error.log'), 'utf8');
  expect(log).toContain("AH02032: Hostname www.example.com provided via SNI and hostname other.example.com provided via HTTP have no compatible SSL setup for policy 'secure'");
  expect(log).toContain('AH02032: Hostname www.example.com (default host as no SNI was provided) and hostname other.example.com provided via HTTP');
}, 30_000);

test('plain HTTP on a TLS port gets httpd 400 page', async () => {
  const be = await backend();
  const port = await freePort();
  await serve(vhosts(port, be.port));
  const text = await within(
    new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n'));
      let buf = '';
      s.setEncoding('latin1');
      s.on('data', (d: string) => (buf += d));
      s.on('close', () => resolve(buf));
      s.on('error', () => resolve(buf));
    }),
    10_000,
    'plain request',
  );
  expect(text.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true);
  expect(text).toContain("Reason: You're speaking plain HTTP to an SSL-enabled server port.<br />\n Instead use the HTTPS scheme to access this URL, please.<br />\n</p>");
  expect(be.seen).toEqual([]);
}, 30_000);

test('SSL variables reach the access log: %{SSL_PROTOCOL}x, %{SSL_TLS_SNI}x, %{HTTPS}e', async () => {
  const be = await backend();
  const port = await freePort();
  const logDir = tempDir('featherd-tls-log-');
  cleanup.push(() => fs.rmSync(logDir, { recursive: true, force: true }));
  await serve(vhosts(port, be.port, `CustomLog ${logDir}/access.log tls`));
  const r = await get(port, { sni: 'www.example.com', host: 'www.example.com' });
  expect(r.status).toBe(200);
  const file = path.join(logDir, 'access.log');
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('\n'))) await new Promise((ok) => setTimeout(ok, 20));
  expect(fs.readFileSync(file, 'utf8')).toBe(`127.0.0.1 "GET /a HTTP/1.1" 200 ${r.protocol} www.example.com on\n`);
}, 30_000);

test('certificate problems refuse to start, with the directive pointed at', async () => {
  const w = certs.files.get('www.example.com')!;
  const o = certs.files.get('other.example.com')!;
  const port = await freePort();
  const dir = tempDir('featherd-tls-bad-');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const body = (cert: string, key: string) => `Listen 127.0.0.1:${port} https
<VirtualHost *:${port}>
ServerName www.example.com
SSLEngine on
SSLCertificateFile ${cert}
SSLCertificateKeyFile ${key}
</VirtualHost>
`;
  const mismatch = await startFeatherd(dir, body(w.cert, o.key));
  expect(mismatch.ok).toBe(false);
  if (!mismatch.ok) {
    expect(mismatch.error).toContain(`AH02565: Certificate and private key www.example.com:443:0 from ${w.cert} and ${o.key} do not match`);
    expect(mismatch.error).toContain(`featherd: see SSLCertificateKeyFile of the server at ${dir}/httpd.conf:16`);
  }
  const bad = path.join(dir, 'bad.pem');
  fs.writeFileSync(bad, 'garbage\n');
  const badPem = await startFeatherd(dir, body(bad, w.key));
  expect(badPem.ok).toBe(false);
  if (!badPem.ok) {
    expect(badPem.error).toContain(`AH02562: Failed to configure certificate www.example.com:443:0 (with chain), check ${bad}`);
    expect(badPem.error).toContain(`httpd.conf:15`);
  }
  // Nothing was left listening.
  const probe = await within(new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  }), 5000, 'probe');
  expect(probe).toBe(false);
}, 30_000);
