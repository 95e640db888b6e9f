/** TLS protocol versions SSLProtocol / SSLProxyProtocol can name. */
export type TlsProtocol = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export type SslVerify = 'none' | 'optional' | 'require' | 'optional_no_ca';

/** The per-server record of mod_ssl (the directives featherd honours). */
export interface SslServerConfig {
  /** SSLEngine: 'optional' is accepted by httpd but no longer supported (treated as off). */
  engine?: 'on' | 'off' | 'optional';
  certificateFiles: string[];
  keyFiles: string[];
  chainFile?: string;
  caCertificateFile?: string;
  caCertificatePath?: string;
  /** SSLProtocol result (undefined: httpd's default, TLSv1.2 and TLSv1.3). */
  protocols?: TlsProtocol[];
  /** SSLCipherSuite per protocol (`SSL` for TLSv1.2 and below, `TLSv1.3`). */
  cipherSuite: { SSL?: string; 'TLSv1.3'?: string };
  honorCipherOrder?: boolean;
  verifyClient?: SslVerify;
  verifyDepth?: number;
  proxy: SslProxyConfig;
}

/** SSLProxy* settings (server level, or a `<Proxy>` section's). */
export interface SslProxyConfig {
  engine?: boolean;
  protocols?: TlsProtocol[];
  cipherSuite: { SSL?: string; 'TLSv1.3'?: string };
  verify?: SslVerify;
  verifyDepth?: number;
  caCertificateFile?: string;
  caCertificatePath?: string;
  machineCertificateFile?: string;
  machineCertificateChainFile?: string;
  checkPeerName?: boolean;
  checkPeerCN?: boolean;
  checkPeerExpire?: boolean;
}

/** Per-directory record: `<Proxy>` sections carry their own SSLProxy* settings. */
export interface SslDirConfig {
  proxy: SslProxyConfig;
  verifyClient?: SslVerify;
  cipherSuite?: string;
}

export function createSslServerConfig(): SslServerConfig {
  return { certificateFiles: [], keyFiles: [], cipherSuite: {}, proxy: { cipherSuite: {} } };
}

export function createSslDirConfig(): SslDirConfig {
  return { proxy: { cipherSuite: {} } };
}

function mergeProxy(base: SslProxyConfig, add: SslProxyConfig): SslProxyConfig {
  const out: SslProxyConfig = { ...base, cipherSuite: { ...base.cipherSuite, ...add.cipherSuite } };
  for (const [k, v] of Object.entries(add)) if (v !== undefined && k !== 'cipherSuite') (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

export function mergeSslServerConfig(base: SslServerConfig, add: SslServerConfig): SslServerConfig {
  const out: SslServerConfig = { ...base, ...stripUndefined(add) };
  out.certificateFiles = add.certificateFiles.length ? add.certificateFiles : base.certificateFiles;
  out.keyFiles = add.keyFiles.length ? add.keyFiles : base.keyFiles;
  out.cipherSuite = { ...base.cipherSuite, ...add.cipherSuite };
  out.proxy = mergeProxy(base.proxy, add.proxy);
  return out;
}

export function mergeSslDirConfig(base: SslDirConfig, add: SslDirConfig): SslDirConfig {
  return { ...base, ...stripUndefined(add), proxy: mergeProxy(base.proxy, add.proxy) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
