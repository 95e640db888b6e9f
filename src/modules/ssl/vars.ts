/**
 * mod_ssl's variables (`ssl_var_lookup`): `HTTPS`, `SSL_PROTOCOL`, `SSL_CIPHER`,
 * `SSL_SERVER_S_DN`, `SSL_CLIENT_VERIFY`… of a request's connection. Other modules read them
 * with `sslVar` (LogFormat `%{VAR}x`, RequestHeader `%{VAR}s`), as httpd's modules call
 * mod_ssl's optional function.
 */
import { TLSSocket, type PeerCertificate } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import type { RequestContext } from '../../runtime/server.js';

/** The request's TLS socket, or null for a plain HTTP connection. */
export function tlsSocketOf(ctx: Pick<RequestContext, 'req'>): TLSSocket | null {
  const s = ctx.req.socket;
  return s instanceof TLSSocket && s.encrypted ? s : null;
}

/**
 * The native TLS handle's verification calls. Node sets `authorized` on server sockets only when
 * they come from a tls.Server, and sets the verify mode only when a socket is made; featherd's
 * sockets are made by the server core and their verify mode follows the SNI-chosen server.
 */
interface VerifyHandle {
  setVerifyMode?(requestCert: boolean, rejectUnauthorized: boolean): void;
  verifyError?(): (Error & { code?: string }) | null | undefined;
}

function handleOf(s: TLSSocket): VerifyHandle | undefined {
  // `_handle` is Node's TLSWrap, not part of the typed API.
  return (s as unknown as { _handle?: VerifyHandle | null })._handle ?? undefined;
}

/** Asks for (and requires) a client certificate on a connection whose handshake is under way. */
export function setClientVerify(s: TLSSocket, request: boolean, require: boolean): void {
  handleOf(s)?.setVerifyMode?.(request, require);
}

/** Why the client certificate did not verify (OpenSSL's code), or null when it did or none was sent. */
export function clientVerifyError(s: TLSSocket): string | null {
  if (!s.getPeerX509Certificate()) return null;
  const h = handleOf(s);
  if (!h?.verifyError) return s.authorized ? null : String(s.authorizationError ?? 'UNABLE_TO_VERIFY');
  const e = h.verifyError();
  return e ? (e.code ?? e.message) : null;
}

/** A DN in httpd's default (RFC 2253) form: last component first, comma-separated. */
function dnString(x509Subject: string): string {
  return x509Subject
    .split('\n')
    .filter((l) => l !== '')
    .reverse()
    .join(',');
}

function dnPart(x509Subject: string, key: string): string | undefined {
  for (const line of x509Subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq) === key) return line.slice(eq + 1);
  }
  return undefined;
}

function certVars(prefix: string, c: X509Certificate | undefined, out: Map<string, string>): void {
  if (!c) return;
  out.set(`${prefix}_S_DN`, dnString(c.subject));
  out.set(`${prefix}_I_DN`, dnString(c.issuer));
  for (const key of ['CN', 'O', 'OU', 'C', 'ST', 'L', 'emailAddress']) {
    const s = dnPart(c.subject, key);
    if (s !== undefined) out.set(`${prefix}_S_DN_${key === 'emailAddress' ? 'Email' : key}`, s);
    const i = dnPart(c.issuer, key);
    if (i !== undefined) out.set(`${prefix}_I_DN_${key === 'emailAddress' ? 'Email' : key}`, i);
  }
  out.set(`${prefix}_M_SERIAL`, c.serialNumber.toUpperCase());
  out.set(`${prefix}_V_START`, opensslDate(c.validFrom));
  out.set(`${prefix}_V_END`, opensslDate(c.validTo));
}

/** Node prints certificate dates as OpenSSL does (`Nov 27 12:00:00 2026 GMT`): kept as is. */
function opensslDate(s: string): string {
  return s;
}

const cache = new WeakMap<TLSSocket, Map<string, string>>();

/** Every variable of the connection (computed once per connection). */
export function sslVars(ctx: Pick<RequestContext, 'req'>): ReadonlyMap<string, string> {
  const s = tlsSocketOf(ctx);
  if (!s) return new Map();
  const have = cache.get(s);
  if (have) return have;
  const out = new Map<string, string>();
  out.set('HTTPS', 'on');
  out.set('SSL_PROTOCOL', s.getProtocol() ?? '');
  const cipher = s.getCipher();
  if (cipher) {
    out.set('SSL_CIPHER', cipher.name);
    const bits = cipherBits(cipher.name);
    if (bits !== undefined) {
      out.set('SSL_CIPHER_USEKEYSIZE', String(bits));
      out.set('SSL_CIPHER_ALGKEYSIZE', String(bits));
    }
    out.set('SSL_CIPHER_EXPORT', 'false');
  }
  out.set('SSL_SESSION_RESUMED', s.isSessionReused() ? 'Resumed' : 'Initial');
  const sni = (s as TLSSocket & { servername?: string | false }).servername;
  if (typeof sni === 'string' && sni !== '') out.set('SSL_TLS_SNI', sni);
  certVars('SSL_SERVER', s.getX509Certificate(), out);
  const peer = s.getPeerX509Certificate();
  if (peer) {
    certVars('SSL_CLIENT', peer, out);
    const failed = clientVerifyError(s);
    out.set('SSL_CLIENT_VERIFY', failed === null ? 'SUCCESS' : `FAILED:${failed}`);
  } else {
    out.set('SSL_CLIENT_VERIFY', 'NONE');
  }
  out.set('SSL_VERSION_LIBRARY', `OpenSSL/${process.versions.openssl}`);
  cache.set(s, out);
  return out;
}

/** Marks a request of a configuration that loads mod_ssl (set by its post_read hook). */
export const SSL_LOADED = Symbol('mod_ssl loaded');

/**
 * One variable (`ssl_var_lookup`); undefined when not set. With mod_ssl loaded, `HTTPS` is `off`
 * on a plain connection, as httpd says; without it nothing is known.
 */
export function sslVar(ctx: Pick<RequestContext, 'req'> & { data?: ReadonlyMap<symbol, unknown> }, name: string): string | undefined {
  const v = sslVars(ctx).get(name);
  if (v === undefined && name === 'HTTPS' && ctx.data?.has(SSL_LOADED) && !tlsSocketOf(ctx)) return 'off';
  return v;
}

function cipherBits(name: string): number | undefined {
  if (/AES_?256|AES256|CHACHA20/i.test(name)) return 256;
  if (/AES_?128|AES128/i.test(name)) return 128;
  return undefined;
}

/** The peer certificate's names as httpd matches them (subjectAltName DNS entries, then CN). */
function certNames(cert: Pick<PeerCertificate, 'subject' | 'subjectaltname'>): string[] {
  const out: string[] = [];
  for (const part of (cert.subjectaltname ?? '').split(',')) {
    const p = part.trim();
    if (p.startsWith('DNS:')) out.push(p.slice(4));
  }
  const cn = cert.subject?.CN;
  if (typeof cn === 'string') out.push(cn);
  else if (Array.isArray(cn)) out.push(...(cn as string[]));
  return out;
}

/**
 * `modssl_X509_match_name`: the host name against the certificate's DNS names and CN, a
 * leading `*.` matching exactly one label. IP addresses in subjectAltName are not considered.
 */
export function certMatchesName(cert: Pick<PeerCertificate, 'subject' | 'subjectaltname'>, host: string): boolean {
  const h = host.toLowerCase();
  for (const raw of certNames(cert)) {
    const n = raw.toLowerCase();
    if (n === h) return true;
    if (n.startsWith('*.')) {
      const dot = h.indexOf('.');
      if (dot > 0 && h.slice(dot) === n.slice(1)) return true;
    }
  }
  return false;
}
