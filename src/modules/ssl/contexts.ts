/**
 * mod_ssl's server side at load time: one TLS context per server with `SSLEngine on`, built from
 * its certificate, key, chain, protocols and ciphers. Problems are httpd's start-up messages
 * (`AH02565` key mismatch, `AH02562` unusable certificate, `AH02572` none configured) with
 * featherd's pointer to the directive.
 */
import fs from 'node:fs';
import tls from 'node:tls';
import type { ConfigNode, Loc } from '../../config/ast.js';
import type { CompiledServer } from '../../runtime/compile/types.js';
import type { ConfigError } from '../../util/diagnostics.js';
import type { SslServerConfig, TlsProtocol } from './config.js';

/** The TLS side of one server with `SSLEngine on`. */
export interface ServerTls {
  server: CompiledServer;
  conf: SslServerConfig;
  context: tls.SecureContext;
  /** Client certificates are asked for (SSLVerifyClient other than none). */
  requestCert: boolean;
  /** The handshake fails without a client certificate (SSLVerifyClient require). */
  requireCert: boolean;
  /** The options the context was made from (to make a context with more CAs). */
  options: tls.SecureContextOptions;
  /** SSLCACertificateFile's certificates, when client certificates are asked for. */
  ca?: Buffer;
}

const ORDER: TlsProtocol[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** SSLProtocol as Node's version range (httpd's default: TLSv1.2 and TLSv1.3). */
export function versionRange(protocols: TlsProtocol[] | undefined): { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion } | null {
  const list = protocols ?? ['TLSv1.2', 'TLSv1.3'];
  const idx = list.map((p) => ORDER.indexOf(p)).sort();
  if (idx.length === 0) return null;
  return { minVersion: ORDER[idx[0]] as tls.SecureVersion, maxVersion: ORDER[idx[idx.length - 1]] as tls.SecureVersion };
}

/** httpd's `ssl_util_vhostid`: `name:port` (443 when the server has no port of its own). */
function vhostId(server: CompiledServer): string {
  return `${server.name}:${server.port || 443}`;
}

/** Where a directive of the server was written (its `<VirtualHost>` children, else the section). */
function directiveLoc(server: CompiledServer, name: string, fallback: Loc): Loc {
  const sec = server.rec.section;
  if (!sec) return fallback;
  const find = (nodes: ConfigNode[]): Loc | undefined => {
    let hit: Loc | undefined;
    for (const n of nodes) {
      if (n.kind === 'directive' && n.name.toLowerCase() === name.toLowerCase()) hit = n.loc;
      else if (n.kind === 'section' && !/^(location|directory|files|proxy)/i.test(n.name)) hit = find(n.children) ?? hit;
    }
    return hit;
  };
  return find(sec.children) ?? sec.loc;
}

function configError(message: string, loc: Loc, what: string): ConfigError {
  return { phase: 'plain', message: `${message}\nAH00016: Configuration Failed`, loc, hint: `featherd: ${what} ${loc.file}:${loc.line}` };
}

function read(file: string): Buffer | string {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Builds the context of one server; an error names the directive at fault. */
export function buildServerTls(server: CompiledServer, conf: SslServerConfig, mainLoc: Loc): { ok: true; value: ServerTls } | { ok: false; error: ConfigError } {
  const id = vhostId(server);
  const fail = (message: string, directive: string) => ({ ok: false as const, error: configError(message, directiveLoc(server, directive, mainLoc), `see ${directive} of the server at`) });
  const certFile = conf.certificateFiles[0];
  if (certFile === undefined) {
    return fail(`AH02572: Failed to configure at least one certificate and key for ${id}`, 'SSLEngine');
  }
  const keyFile = conf.keyFiles[0] ?? certFile;
  const cert = read(certFile);
  if (typeof cert === 'string') return fail(`AH02562: Failed to configure certificate ${id}:0 (with chain), check ${certFile}`, 'SSLCertificateFile');
  const key = read(keyFile);
  if (typeof key === 'string') return fail(`AH02564: Failed to configure encrypted (?) private key ${id}:0, check ${keyFile}`, 'SSLCertificateKeyFile');
  let chain: Buffer | undefined;
  if (conf.chainFile !== undefined) {
    const c = read(conf.chainFile);
    if (typeof c === 'string') return fail(`AH02562: Failed to configure certificate ${id}:0 (with chain), check ${conf.chainFile}`, 'SSLCertificateChainFile');
    chain = c;
  }
  // Each piece alone first, so that the message names the file at fault as httpd does.
  try {
    tls.createSecureContext({ cert });
  } catch {
    return fail(`AH02562: Failed to configure certificate ${id}:0 (with chain), check ${certFile}`, 'SSLCertificateFile');
  }
  try {
    tls.createSecureContext({ key });
  } catch {
    return fail(`AH02564: Failed to configure encrypted (?) private key ${id}:0, check ${keyFile}`, conf.keyFiles.length ? 'SSLCertificateKeyFile' : 'SSLCertificateFile');
  }
  const range = versionRange(conf.protocols);
  if (!range) return fail(`AH02231: No SSL protocols available [hint: SSLProtocol]`, 'SSLProtocol');
  const opts: tls.SecureContextOptions = {
    cert: chain ? Buffer.concat([cert, Buffer.from('\n'), chain]) : cert,
    key,
    ...range,
  };
  if (conf.cipherSuite.SSL !== undefined) opts.ciphers = conf.cipherSuite.SSL;
  if (conf.cipherSuite['TLSv1.3'] !== undefined) (opts as { ciphersuites?: string }).ciphersuites = conf.cipherSuite['TLSv1.3'];
  if (conf.honorCipherOrder === true) opts.honorCipherOrder = true;
  const verify = conf.verifyClient ?? 'none';
  if (verify !== 'none' && conf.caCertificateFile !== undefined) {
    const ca = read(conf.caCertificateFile);
    if (typeof ca === 'string') return fail(`AH01895: Unable to configure verify locations for client authentication`, 'SSLCACertificateFile');
    opts.ca = ca;
  }
  let context: tls.SecureContext;
  try {
    context = tls.createSecureContext(opts);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/key values mismatch|KEY_VALUES_MISMATCH/i.test(msg)) {
      return fail(`AH02565: Certificate and private key ${id}:0 from ${certFile} and ${keyFile} do not match`, conf.keyFiles.length ? 'SSLCertificateKeyFile' : 'SSLCertificateFile');
    }
    if (/cipher/i.test(msg)) return fail(`AH01898: Unable to configure permitted SSL ciphers`, 'SSLCipherSuite');
    return fail(`AH02562: Failed to configure certificate ${id}:0 (with chain), check ${certFile}`, 'SSLCertificateFile');
  }
  return {
    ok: true,
    value: { server, conf, context, requestCert: verify !== 'none', requireCert: verify === 'require', options: opts, ...(Buffer.isBuffer(opts.ca) ? { ca: opts.ca } : {}) },
  };
}

/**
 * httpd's `ssl_server_compatible` for SSLVHostSNIPolicy secure (the default): two servers can
 * share a TLS connection when their certificates, protocols, ciphers and client verification
 * agree.
 */
export function compatible(a: SslServerConfig | undefined, b: SslServerConfig | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.engine !== 'on' || b.engine !== 'on') return false;
  const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);
  return (
    same(a.certificateFiles, b.certificateFiles) &&
    same(a.keyFiles, b.keyFiles) &&
    a.chainFile === b.chainFile &&
    same(a.protocols, b.protocols) &&
    same(a.cipherSuite, b.cipherSuite) &&
    a.honorCipherOrder === b.honorCipherOrder &&
    (a.verifyClient ?? 'none') === (b.verifyClient ?? 'none') &&
    a.verifyDepth === b.verifyDepth &&
    a.caCertificateFile === b.caCertificateFile
  );
}
