/**
 * TLS to backends (https:// and wss:// workers) from mod_ssl's SSLProxy* settings, as httpd
 * applies them: nothing works without `SSLProxyEngine On` (a 500 with AH01961/AH00961);
 * `SSLProxyVerify none` (the default) does not check the chain but still checks the name
 * (SSLProxyCheckPeerName/CN, DNS names and CN only) and the dates (SSLProxyCheckPeerExpire);
 * a failed check is httpd's 500 "Error during SSL Handshake with remote server".
 */
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { buildConnector } from 'undici';
import type { ConfigSet } from '../../../directives/types.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { versionRange } from '../../ssl/contexts.js';
import type { SslProxyConfig, SslServerConfig } from '../../ssl/config.js';
import { certMatchesName } from '../../ssl/vars.js';
import { undici } from './undici.js';

/** The SSLProxy* record in force: a `<Proxy>` section's settings over the server's. */
export function proxyTlsConfig(serverConfigs: ConfigSet, dir: ConfigSet | undefined): SslProxyConfig | undefined {
  let server: SslServerConfig | undefined;
  for (const [m, v] of serverConfigs) if (m.id === 'ssl_module') server = v as SslServerConfig;
  let sec: SslProxyConfig | undefined;
  for (const [m, v] of dir ?? new Map()) if (m.id === 'ssl_module') sec = (v as { proxy?: SslProxyConfig }).proxy;
  if (!server && !sec) return undefined;
  const out: SslProxyConfig = { ...(server?.proxy ?? { cipherSuite: {} }) };
  for (const [k, v] of Object.entries(sec ?? {})) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

/** httpd's answer to an https/wss target while `SSLProxyEngine` is not on. */
export function sslProxyDisabled(host: string, port: number): HttpError {
  return {
    ...httpError(500, `AH00961: https: failed to enable ssl support for ${host}:${port} (${host})`),
    logMessage: `AH01961:  failed to enable ssl support [Hint: if using mod_ssl, see SSLProxyEngine]\nAH00961: https: failed to enable ssl support for ${host}:${port} (${host})`,
  };
}

export const HANDSHAKE_REASON = 'Error during SSL Handshake with remote server';

/** The connect options of a TLS backend connection; a file that cannot be read is an error message. */
export function backendTlsOptions(c: SslProxyConfig): { ok: true; value: tls.ConnectionOptions } | { ok: false; error: string } {
  const o: tls.ConnectionOptions = { rejectUnauthorized: c.verify === 'require' };
  const range = versionRange(c.protocols);
  if (range) Object.assign(o, range);
  if (c.cipherSuite.SSL !== undefined) o.ciphers = c.cipherSuite.SSL;
  try {
    if (c.caCertificateFile !== undefined) o.ca = fs.readFileSync(c.caCertificateFile);
    if (c.machineCertificateFile !== undefined) {
      // The file holds the client certificate and its key (PEM), as httpd expects.
      const pem = fs.readFileSync(c.machineCertificateFile);
      o.cert = c.machineCertificateChainFile !== undefined ? Buffer.concat([pem, Buffer.from('\n'), fs.readFileSync(c.machineCertificateChainFile)]) : pem;
      o.key = pem;
    }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  // Node checks the name itself only when the chain verified; httpd's checks are done after
  // the handshake (checkPeer), whatever SSLProxyVerify says.
  o.checkServerIdentity = () => undefined;
  return { ok: true, value: o };
}

/** httpd's post-handshake checks of the backend's certificate; null when they pass. */
export function checkPeer(sock: tls.TLSSocket, host: string, c: SslProxyConfig): string | null {
  if (c.verify === 'require' && !sock.authorized) return `Certificate Verification: Error: ${String(sock.authorizationError ?? 'unknown')}`;
  const cert = sock.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return 'no peer certificate';
  if (c.checkPeerExpire !== false) {
    const now = Date.now();
    if (now < Date.parse(cert.valid_from) || now > Date.parse(cert.valid_to)) return 'SSL Proxy: Peer certificate is expired';
  }
  if (c.checkPeerName !== false || c.checkPeerCN === true) {
    if (!certMatchesName(cert, host)) return `AH02411: SSL Proxy: Peer certificate does not match for hostname ${host}`;
  }
  return null;
}

/** An undici connector doing the TLS handshake with `opts`, then httpd's checks. */
export function backendConnector(opts: tls.ConnectionOptions, c: SslProxyConfig, timeoutMs: number): buildConnector.connector {
  const base = undici().buildConnector({ ...opts, timeout: timeoutMs });
  return (o, cb) => {
    base({ ...o, ...(net.isIP(o.hostname) ? { servername: '' } : {}) }, (err, sock) => {
      if (err || !sock) return cb(err ?? new Error('connect failed'), null);
      const problem = sock instanceof tls.TLSSocket ? checkPeer(sock, o.hostname.replace(/^\[|\]$/g, ''), c) : null;
      if (problem) {
        sock.destroy();
        return cb(Object.assign(new Error(problem), { code: 'FEATHERD_SSL_HANDSHAKE' }), null);
      }
      cb(null, sock);
    });
  };
}

/** Error codes of a TLS handshake that failed or whose certificate checks failed. */
export function isHandshakeFailure(code: string): boolean {
  return code === 'FEATHERD_SSL_HANDSHAKE' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
}

/** The error page of a failed backend handshake (httpd answers 500 "Proxy Error"). */
export function handshakeError(uri: string, detail: string): HttpError {
  return httpError(500, `AH00898: ${HANDSHAKE_REASON} returned by ${uri} (${detail})`, HANDSHAKE_REASON);
}
