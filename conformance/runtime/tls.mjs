// TLS for the runtime conformance harness: a throw-away certificate authority and certificates
// made with the openssl command line in each run's temp directory, the placeholders naming them,
// and the client's and the TLS backends' connection options.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Certificates of every TLS run (file names under `${TMP}/certs`), by placeholder stem:
 * `${CA}` signs all but the `other` ones, `${CA_OTHER}` is a second, unrelated authority.
 *  - `${CERT}`/`${KEY}`: the front server, CN and DNS name `front.test`;
 *  - `${CERT_A_TEST}`/`${KEY_A_TEST}`… one per name in the case's `tls.names` (`a.test`);
 *  - `${BACKEND_CERT}`/`${BACKEND_KEY}`: TLS backends, CN and DNS name `localhost`;
 *  - `${CLIENT_CERT}`/`${CLIENT_KEY}`/`${CLIENT_PEM}` (certificate and key in one file, for
 *    SSLProxyMachineCertificateFile): a client certificate, CN `client.test`;
 *  - `${CLIENT_OTHER_CERT}`/`${CLIENT_OTHER_KEY}`: a client certificate from `${CA_OTHER}`.
 */
export function tlsNames(spec) {
  const t = spec.tls;
  return t && typeof t === 'object' && Array.isArray(t.names) ? t.names : [];
}

/** Whether a case needs certificates: a TLS front (`tls`) or a TLS backend (`backends[].tls`). */
export function needsCerts(spec) {
  return Boolean(spec.tls) || (spec.backends ?? []).some((b) => b?.tls);
}

/** Which front ports speak TLS (1-based): `tls.ports`, else every port when `tls` is set. */
export function tlsPorts(spec, count) {
  const t = spec.tls;
  if (!t) return [];
  if (typeof t === 'object' && Array.isArray(t.ports)) return t.ports;
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** `a.test` → `A_TEST` (placeholder names are upper-case letters, digits and `_`). */
export function stem(name) {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20000 });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function authority(dir, base, cn) {
  openssl(['req', '-x509', ...EC, '-keyout', `${base}.key`, '-out', `${base}.crt`, '-days', '2', '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
}

function leaf(dir, base, cn, ca, ext) {
  openssl(['req', ...EC, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${cn}`], dir);
  writeFileSync(join(dir, `${base}.ext`), `${ext}\n`);
  openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial',
    '-out', `${base}.crt`, '-days', '2', '-extfile', `${base}.ext`], dir);
  writeFileSync(join(dir, `${base}.pem`), Buffer.concat([readFileSync(join(dir, `${base}.crt`)), readFileSync(join(dir, `${base}.key`))]));
}

/**
 * Make the run's certificates under `dir` and return their placeholders (see above) plus the
 * PEM material the harness itself needs (`pem.backend`, `pem.client`, …).
 */
export function makeCerts(dir, names) {
  mkdirSync(dir, { recursive: true });
  authority(dir, 'ca', 'featherd conformance CA');
  authority(dir, 'ca-other', 'featherd conformance other CA');
  const server = 'extendedKeyUsage=serverAuth';
  const client = 'extendedKeyUsage=clientAuth';
  leaf(dir, 'front', 'front.test', 'ca', `subjectAltName=DNS:front.test\n${server}`);
  leaf(dir, 'backend', 'localhost', 'ca', `subjectAltName=DNS:localhost\n${server}`);
  leaf(dir, 'client', 'client.test', 'ca', client);
  leaf(dir, 'client-other', 'client.test', 'ca-other', client);
  const table = {
    CA: join(dir, 'ca.crt'),
    CA_OTHER: join(dir, 'ca-other.crt'),
    CERT: join(dir, 'front.crt'),
    KEY: join(dir, 'front.key'),
    BACKEND_CERT: join(dir, 'backend.crt'),
    BACKEND_KEY: join(dir, 'backend.key'),
    CLIENT_CERT: join(dir, 'client.crt'),
    CLIENT_KEY: join(dir, 'client.key'),
    CLIENT_PEM: join(dir, 'client.pem'),
    CLIENT_OTHER_CERT: join(dir, 'client-other.crt'),
    CLIENT_OTHER_KEY: join(dir, 'client-other.key'),
  };
  const files = { front: { cert: table.CERT, key: table.KEY }, backend: { cert: table.BACKEND_CERT, key: table.BACKEND_KEY } };
  for (const name of names) {
    const base = `name-${stem(name).toLowerCase()}`;
    leaf(dir, base, name, 'ca', `subjectAltName=DNS:${name}\n${server}`);
    table[`CERT_${stem(name)}`] = join(dir, `${base}.crt`);
    table[`KEY_${stem(name)}`] = join(dir, `${base}.key`);
    files[name] = { cert: join(dir, `${base}.crt`), key: join(dir, `${base}.key`) };
  }
  return { table, files, dir };
}

/**
 * The options of a TLS backend's server: the certificate named by `tls.cert` (default `backend`);
 * `tls.requestCert` asks the proxy for a client certificate (any is accepted, its CN recorded).
 */
export function backendServerOptions(certs, spec) {
  const which = typeof spec.tls === 'object' && spec.tls.cert ? spec.tls.cert : 'backend';
  const f = certs.files[which];
  if (!f) throw new Error(`backends[].tls.cert names ${which}, which is not among the case's tls.names`);
  const opts = { cert: readFileSync(f.cert), key: readFileSync(f.key) };
  if (typeof spec.tls === 'object' && spec.tls.requestCert) Object.assign(opts, { requestCert: true, rejectUnauthorized: false });
  return opts;
}

/** For backends with `tls.requestCert`: the CN of the client certificate the proxy presented (null: none). */
export function backendClientCert(spec, req) {
  if (!(typeof spec.tls === 'object' && spec.tls.requestCert)) return undefined;
  return peerName(req.socket) || null;
}

/**
 * The client's TLS options for one request, or null to speak plain HTTP. `servername` is the SNI
 * name (default: the Host header's name unless it is an IP address; `null` sends none);
 * `clientCert`: `client` or `other` presents that client certificate.
 */
export function clientTlsOptions(req, hostHeader, certs) {
  const opts = { rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] };
  let sni = req.servername;
  if (sni === undefined) {
    const host = (hostHeader ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    sni = host === '' || /^[\d.]+$/.test(host) || host.includes(':') ? null : host;
  }
  if (sni !== null) opts.servername = sni;
  if (req.clientCert) {
    const base = req.clientCert === 'other' ? 'client-other' : 'client';
    opts.cert = readFileSync(join(certs.dir, `${base}.crt`));
    opts.key = readFileSync(join(certs.dir, `${base}.key`));
  }
  return opts;
}

/** What the client records of a TLS connection: the server certificate's CN. */
export function peerName(sock) {
  const cert = sock.getPeerCertificate?.();
  const cn = cert?.subject?.CN;
  return Array.isArray(cn) ? cn.join(',') : (cn ?? null);
}

/** A TLS failure as recorded: OpenSSL's reason as Node codes it (`ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED`). */
export function tlsErrorCode(err) {
  const code = err?.code;
  return typeof code === 'string' && /^ERR_(SSL|TLS)_/.test(code) ? code : null;
}
