import type { Cmd, DirectiveEntry, Handler, ModuleDef } from '../../directives/types.js';
import { ACCESS_CONF, GLOBAL_ONLY, OR_ALL, OR_AUTHCFG, OR_OPTIONS, RSRC_CONF } from '../../directives/types.js';
import { isLoaded } from '../authz_core/loaded.js';
import { allWords } from '../authz_core/words.js';
import type { SslDirConfig, SslProxyConfig, SslServerConfig } from './config.js';
import { createSslDirConfig, createSslServerConfig, mergeSslDirConfig, mergeSslServerConfig } from './config.js';
import { checkDir, checkFile, parseDepth, parseProtocols, parseVerify, proxyContext } from './checks.js';
import { passPhraseDialog, randomSeed } from './sources.js';

/** mod_ssl.c + ssl_engine_config.c */
export const sslModule: ModuleDef<SslServerConfig, SslDirConfig> = {
  id: 'ssl_module',
  file: 'mod_ssl.c',
  createServerConfig: createSslServerConfig,
  mergeServerConfig: mergeSslServerConfig,
  createDirConfig: createSslDirConfig,
  mergeDirConfig: mergeSslDirConfig,
  directives: [],
};

const SRV = RSRC_CONF;
const ALL = RSRC_CONF | OR_AUTHCFG;
/** Server level and `<Proxy>` (httpd's PROXY_CONF; checked by the handlers). */
const PXY = RSRC_CONF | ACCESS_CONF;
const IGNORED = 'accepted and checked; featherd does not act on it';

const srv = (cmd: Cmd) => cmd.serverConfig(sslModule);
/** The SSLProxy* record in force: the `<Proxy>` section's, or the server's. */
const pxy = (cmd: Cmd): SslProxyConfig => (cmd.path === undefined ? srv(cmd).proxy : cmd.dirConfig(sslModule).proxy);

function e(name: string, args: DirectiveEntry['args'], contexts: number, help: string, handler?: Handler, support: DirectiveEntry['support'] = 'yes', note?: string): DirectiveEntry {
  const entry: DirectiveEntry = { name, args, contexts, help, support, handler };
  if (note) entry.note = note;
  else if (support === 'ignored') entry.note = IGNORED;
  if (contexts === PXY && handler) {
    entry.handler = (cmd, a, raw) => proxyContext(cmd) ?? handler(cmd, a, raw);
  } else if (contexts === PXY) {
    entry.handler = (cmd) => proxyContext(cmd);
  }
  return entry;
}

/** A file-path directive: checked as httpd does, then stored by `set`. */
function file(set?: (cmd: Cmd, path: string) => void): Handler {
  return (cmd, args) => {
    const r = checkFile(cmd, args[0]);
    if ('error' in r) return r.error;
    set?.(cmd, r.path);
    return undefined;
  };
}

/** A PKCS#11 URI names a key or certificate in a token, not a file (modssl_is_engine_id). */
const isEngineId = (arg: string) => arg.startsWith('pkcs11:');
const PKCS11_NOTE = 'pkcs11: URIs are accepted by the configtest but featherd cannot read from a PKCS#11 token';

/** SSLCertificateFile/SSLCertificateKeyFile: a file checked as httpd does, or a `pkcs11:` URI (not checked, not stored). */
function fileOrUri(set: (cmd: Cmd, path: string) => void): Handler {
  const checked = file(set);
  return (cmd, args, raw) => (isEngineId(args[0]) ? undefined : checked(cmd, args, raw));
}

function dir(set?: (cmd: Cmd, path: string) => void): Handler {
  return (cmd, args) => {
    const r = checkDir(cmd, args[0]);
    if ('error' in r) return r.error;
    set?.(cmd, r.path);
    return undefined;
  };
}

const flag = (set: (cmd: Cmd, on: boolean) => void): Handler => (cmd, args) => {
  set(cmd, args[0] === 'On');
  return undefined;
};

/** Names of the shared-object cache providers loaded (mod_socache_shmcb registers shmcb and default). */
function socacheNames(cmd: Cmd): string[] {
  return isLoaded(cmd, 'socache_shmcb_module') ? ['default', 'shmcb'] : [];
}

/** ssl_cmd_SSLCipherSuite's protocol word (case-sensitive): `SSL` (the default) or `TLSv1.3`. */
function cipherSuite(args: string[], into: { SSL?: string; 'TLSv1.3'?: string }): string | undefined {
  const [protocol, list] = args.length === 2 ? args : ['SSL', args[0]];
  if (protocol === 'SSL') into.SSL = list;
  else if (protocol === 'TLSv1.3') into['TLSv1.3'] = list;
  else return `protocol '${protocol}' not supported`;
  return undefined;
}

function cacheCmd(kind: 'session' | 'stapling'): Handler {
  return (cmd, args) => {
    const ctx = cmd.checkContext(GLOBAL_ONLY);
    if (ctx) return ctx;
    const arg = args[0];
    if (kind === 'session' && (arg === 'none' || arg === 'nonenotnull')) return undefined;
    const name = arg.includes(':') ? arg.slice(0, arg.indexOf(':')) : arg;
    const known = socacheNames(cmd);
    if (known.includes(name)) return undefined;
    if (kind === 'session') {
      return `SSLSessionCache: '${name}' session cache not supported (known names: ${known.join(',')}). Maybe you need to load the appropriate socache module (mod_socache_${name}?).`;
    }
    return `SSLStaplingCache: '${name}' stapling cache not supported (known names: ${known.join(',')}) Maybe you need to load the appropriate socache module (mod_socache_${name}?)`;
  };
}

const OPTIONS = ['StdEnvVars', 'ExportCertData', 'FakeBasicAuth', 'StrictRequire', 'OptRenegotiate', 'LegacyDNStringFormat'];

sslModule.directives.push(
  e('SSLPassPhraseDialog', 'TAKE1', SRV, "SSL dialog mechanism for the pass phrase query ('builtin', '|/path/to/pipe_program', or 'exec:/path/to/cgi_program')", passPhraseDialog, 'ignored', 'featherd reads unencrypted keys only'),
  e('SSLSessionCache', 'TAKE1', SRV, "SSL Session Cache storage ('none', 'nonenotnull', 'dbm:/path/to/file')", cacheCmd('session'), 'ignored', 'Node keeps its own TLS session cache'),
  e('SSLCryptoDevice', 'TAKE1', SRV, "SSL external Crypto Device usage ('builtin', '...')", (cmd, a) => (a[0] === 'builtin' ? undefined : "SSLCryptoDevice: Invalid argument; must be one of: 'builtin' (none)"), 'ignored'),
  e('SSLRandomSeed', 'TAKE23', SRV, "SSL Pseudo Random Number Generator (PRNG) seeding source ('startup|connect builtin|file:/path|exec:/path [bytes]')", randomSeed, 'ignored'),
  e('SSLVHostSNIPolicy', 'TAKE1', SRV, 'SSL VirtualHost SNI compatibility policy setting', (cmd, a) => (['strict', 'secure', 'authonly', 'insecure'].includes(a[0].toLowerCase()) ? undefined : `Invalid SSLVhostSNIPolicy argument '${a[0]}'`), 'ignored'),
  e('SSLEngine', 'TAKE1', SRV, "SSL switch for the protocol engine ('on', 'off')", (cmd, a) => {
    const v = a[0].toLowerCase();
    if (v !== 'on' && v !== 'off' && v !== 'optional') return 'Argument must be On or Off';
    if (v === 'optional') cmd.warn({ severity: 'warning', rule: 'httpd', code: 'AH10510', message: "'SSLEngine optional' is no longer supported" });
    srv(cmd).engine = v;
    return undefined;
  }),
  e('SSLFIPS', 'FLAG', SRV, "Enable FIPS-140 mode (`on', `off')", undefined, 'ignored'),
  e('SSLCipherSuite', 'TAKE12', ALL, "Colon-delimited list of permitted SSL Ciphers, optional preceded by protocol identifier ('XXX:...:XXX' - see manual)", (cmd, a) => {
    if (cmd.path !== undefined) {
      const protocol = a.length === 2 ? a[0] : 'SSL';
      if (protocol === 'TLSv1.3') return 'TLSv1.3 ciphers cannot be set inside a directory context';
      if (protocol !== 'SSL') return `protocol '${protocol}' not supported`;
      cmd.dirConfig(sslModule).cipherSuite = a[a.length - 1];
      return undefined;
    }
    return cipherSuite(a, srv(cmd).cipherSuite);
  }, 'partial', 'per-directory cipher suites (renegotiation) are not supported'),
  e('SSLCertificateFile', 'TAKE1', SRV, "SSL Server Certificate file ('/path/to/file' - PEM or DER encoded)", fileOrUri((cmd, p) => srv(cmd).certificateFiles.push(p)), 'partial', PKCS11_NOTE),
  e('SSLCertificateKeyFile', 'TAKE1', SRV, "SSL Server Private Key file ('/path/to/file' - PEM or DER encoded)", fileOrUri((cmd, p) => srv(cmd).keyFiles.push(p)), 'partial', PKCS11_NOTE),
  e('SSLCertificateChainFile', 'TAKE1', SRV, "SSL Server CA Certificate Chain file ('/path/to/file' - PEM encoded)", file((cmd, p) => (srv(cmd).chainFile = p))),
  e('SSLSessionTicketKeyFile', 'TAKE1', SRV, "TLS session ticket encryption/decryption key file (RFC 5077) ('/path/to/file' - file with 48 bytes of random data)", file(), 'ignored'),
  e('SSLCACertificatePath', 'TAKE1', ALL, "SSL CA Certificate path ('/path/to/dir' - contains PEM encoded files)", dir((cmd, p) => (srv(cmd).caCertificatePath = p)), 'ignored', 'featherd reads CA certificates from SSLCACertificateFile only'),
  e('SSLCACertificateFile', 'TAKE1', ALL, "SSL CA Certificate file ('/path/to/file' - PEM encoded)", file((cmd, p) => (srv(cmd).caCertificateFile = p))),
  e('SSLCADNRequestPath', 'TAKE1', SRV, "SSL CA Distinguished Name path ('/path/to/dir' - symlink hashes to PEM of acceptable CA names to request)", dir(), 'ignored'),
  e('SSLCADNRequestFile', 'TAKE1', SRV, "SSL CA Distinguished Name file ('/path/to/file' - PEM encoded to derive acceptable CA names to request)", file(), 'ignored'),
  e('SSLCARevocationPath', 'TAKE1', SRV, "SSL CA Certificate Revocation List (CRL) path ('/path/to/dir' - contains PEM encoded files)", dir(), 'ignored'),
  e('SSLCARevocationFile', 'TAKE1', SRV, "SSL CA Certificate Revocation List (CRL) file ('/path/to/file' - PEM encoded)", file(), 'ignored'),
  e('SSLCARevocationCheck', 'RAW_ARGS', SRV, 'SSL CA Certificate Revocation List (CRL) checking mode', undefined, 'ignored'),
  e('SSLVerifyClient', 'TAKE1', ALL, "SSL Client verify type ('none', 'optional', 'require', 'optional_no_ca')", (cmd, a) => {
    const v = parseVerify(cmd, a[0]);
    if (v !== 'none' && v !== 'optional' && v !== 'require' && v !== 'optional_no_ca') return v;
    if (cmd.path !== undefined) cmd.dirConfig(sslModule).verifyClient = v;
    else srv(cmd).verifyClient = v;
    return undefined;
  }, 'partial', 'per-directory client verification (renegotiation) is not supported'),
  e('SSLVerifyDepth', 'TAKE1', ALL, "SSL Client verify depth ('N' - number of intermediate certificates)", (cmd, a) => {
    const d = parseDepth(cmd, a[0]);
    if (typeof d === 'string') return d;
    srv(cmd).verifyDepth = d;
    return undefined;
  }, 'ignored', 'certificate chains are verified whatever their length'),
  e('SSLSessionCacheTimeout', 'TAKE1', SRV, "SSL Session Cache object lifetime ('N' - number of seconds)", (cmd, a) => ((parseInt(a[0], 10) || 0) < 0 ? 'SSLSessionCacheTimeout: Invalid argument' : undefined), 'ignored'),
  e('SSLProtocol', 'RAW_ARGS', SRV, "Enable or disable various SSL protocols ('[+-][TLSv1|TLSv1.1|TLSv1.2] ...' - see manual)", (cmd, _a, raw) => {
    const p = parseProtocols(cmd, allWords(raw));
    if (typeof p === 'string') return p;
    srv(cmd).protocols = p;
    return undefined;
  }),
  e('SSLHonorCipherOrder', 'FLAG', SRV, "Use the server's cipher ordering preference", flag((cmd, on) => (srv(cmd).honorCipherOrder = on))),
  e('SSLCompression', 'FLAG', SRV, "Enable SSL level compression (`on', `off')", (cmd, a) => (a[0] === 'On' ? 'This version of OpenSSL does not have any compression methods available, cannot enable SSLCompression.' : undefined), 'ignored'),
  e('SSLSessionTickets', 'FLAG', SRV, "Enable or disable TLS session tickets(`on', `off')", undefined, 'ignored'),
  e('SSLInsecureRenegotiation', 'FLAG', SRV, 'Enable support for insecure renegotiation', undefined, 'ignored'),
  e('SSLUserName', 'TAKE1', ALL, 'Set user name to SSL variable value', undefined, 'ignored'),
  e('SSLStrictSNIVHostCheck', 'FLAG', SRV, 'Strict SNI virtual host checking', undefined, 'ignored'),
  e('SSLSRPVerifierFile', 'TAKE1', SRV, "SRP verifier file ('/path/to/file' - created by srptool)", file(), 'ignored'),
  e('SSLSRPUnknownUserSeed', 'TAKE1', SRV, "SRP seed for unknown users (to avoid leaking a user's existence) ('some secret text')", undefined, 'ignored'),
  e('SSLProxyEngine', 'FLAG', PXY, "SSL switch for the proxy protocol engine ('on', 'off')", flag((cmd, on) => (pxy(cmd).engine = on))),
  e('SSLProxyProtocol', 'RAW_ARGS', PXY, "SSL Proxy: enable or disable SSL protocol flavors ('[+-][TLSv1|TLSv1.1|TLSv1.2] ...' - see manual)", (cmd, _a, raw) => {
    const p = parseProtocols(cmd, allWords(raw));
    if (typeof p === 'string') return p;
    pxy(cmd).protocols = p;
    return undefined;
  }),
  e('SSLProxyCipherSuite', 'TAKE12', PXY, "SSL Proxy: colon-delimited list of permitted SSL ciphers , optionally preceded by protocol specifier ('XXX:...:XXX' - see manual)", (cmd, a) => cipherSuite(a, pxy(cmd).cipherSuite)),
  e('SSLProxyVerify', 'TAKE1', PXY, "SSL Proxy: whether to verify the remote certificate ('on' or 'off')", (cmd, a) => {
    const v = parseVerify(cmd, a[0]);
    if (v !== 'none' && v !== 'optional' && v !== 'require' && v !== 'optional_no_ca') return v;
    pxy(cmd).verify = v;
    return undefined;
  }),
  e('SSLProxyVerifyDepth', 'TAKE1', PXY, "SSL Proxy: maximum certificate verification depth ('N' - number of intermediate certificates)", (cmd, a) => {
    const d = parseDepth(cmd, a[0]);
    if (typeof d === 'string') return d;
    pxy(cmd).verifyDepth = d;
    return undefined;
  }, 'ignored', 'certificate chains are verified whatever their length'),
  e('SSLProxyCACertificateFile', 'TAKE1', PXY, "SSL Proxy: file containing server certificates ('/path/to/file' - PEM encoded certificates)", file((cmd, p) => (pxy(cmd).caCertificateFile = p))),
  e('SSLProxyCACertificatePath', 'TAKE1', PXY, "SSL Proxy: directory containing server certificates ('/path/to/dir' - contains PEM encoded certificates)", dir((cmd, p) => (pxy(cmd).caCertificatePath = p)), 'ignored', 'featherd reads CA certificates from SSLProxyCACertificateFile only'),
  e('SSLProxyCARevocationPath', 'TAKE1', PXY, "SSL Proxy: CA Certificate Revocation List (CRL) path ('/path/to/dir' - contains PEM encoded files)", dir(), 'ignored'),
  e('SSLProxyCARevocationFile', 'TAKE1', PXY, "SSL Proxy: CA Certificate Revocation List (CRL) file ('/path/to/file' - PEM encoded)", file(), 'ignored'),
  e('SSLProxyCARevocationCheck', 'RAW_ARGS', PXY, 'SSL Proxy: CA Certificate Revocation List (CRL) checking mode', undefined, 'ignored'),
  e('SSLProxyMachineCertificateFile', 'TAKE1', PXY, "SSL Proxy: file containing client certificates ('/path/to/file' - PEM encoded certificates)", file((cmd, p) => (pxy(cmd).machineCertificateFile = p))),
  e('SSLProxyMachineCertificatePath', 'TAKE1', PXY, "SSL Proxy: directory containing client certificates ('/path/to/dir' - contains PEM encoded certificates)", dir(), 'ignored'),
  e('SSLProxyMachineCertificateChainFile', 'TAKE1', PXY, "SSL Proxy: file containing issuing certificates of the client certificate (`/path/to/file' - PEM encoded certificates)", file((cmd, p) => (pxy(cmd).machineCertificateChainFile = p))),
  e('SSLProxyCheckPeerExpire', 'FLAG', PXY, "SSL Proxy: check the peer certificate's expiration date", flag((cmd, on) => (pxy(cmd).checkPeerExpire = on))),
  e('SSLProxyCheckPeerCN', 'FLAG', PXY, "SSL Proxy: check the peer certificate's CN", flag((cmd, on) => (pxy(cmd).checkPeerCN = on))),
  e('SSLProxyCheckPeerName', 'FLAG', PXY, "SSL Proxy: check the peer certificate's name (must be present in subjectAltName extension or CN", flag((cmd, on) => (pxy(cmd).checkPeerName = on))),
  e('SSLOptions', 'RAW_ARGS', OR_OPTIONS, "Set one or more options to configure the SSL engine('[+-]option[=value] ...' - see manual)", (cmd, _a, raw) => {
    for (const word of allWords(raw)) {
      const w = word[0] === '+' || word[0] === '-' ? word.slice(1) : word;
      if (!OPTIONS.includes(w)) return `SSLOptions: Illegal option '${w}'`;
    }
    return undefined;
  }, 'ignored'),
  e('SSLRequireSSL', 'NO_ARGS', OR_AUTHCFG, 'Require the SSL protocol for the per-directory context (no arguments)', undefined, 'ignored'),
  e('SSLRequire', 'RAW_ARGS', OR_AUTHCFG, 'Require a boolean expression to evaluate to true for granting access(arbitrary complex boolean expression - see manual)', undefined, 'ignored'),
  e('SSLRenegBufferSize', 'TAKE1', OR_AUTHCFG, 'Configure the amount of memory that will be used for buffering the request body if a per-location SSL renegotiation is required due to changed access control requirements', (cmd, a) => ((parseInt(a[0], 10) || 0) < 0 ? `Invalid size for SSLRenegBufferSize: ${a[0]}` : undefined), 'ignored'),
  e('SSLOCSPEnable', 'RAW_ARGS', SRV, "Enable use of OCSP to verify certificate revocation mode ('on', 'leaf', 'off')", undefined, 'ignored'),
  e('SSLOCSPDefaultResponder', 'TAKE1', SRV, 'URL of the default OCSP Responder', undefined, 'ignored'),
  e('SSLOCSPOverrideResponder', 'FLAG', SRV, "Force use of the default responder URL ('on', 'off')", undefined, 'ignored'),
  e('SSLOCSPResponseTimeSkew', 'TAKE1', SRV, 'Maximum time difference in OCSP responses', undefined, 'ignored'),
  e('SSLOCSPResponseMaxAge', 'TAKE1', SRV, 'Maximum age of OCSP responses', undefined, 'ignored'),
  e('SSLOCSPResponderTimeout', 'TAKE1', SRV, 'OCSP responder query timeout', undefined, 'ignored'),
  e('SSLOCSPUseRequestNonce', 'FLAG', SRV, "Whether OCSP queries use a nonce or not ('on', 'off')", undefined, 'ignored'),
  e('SSLOCSPProxyURL', 'TAKE1', SRV, 'Proxy URL to use for OCSP requests', undefined, 'ignored'),
  e('SSLOCSPNoVerify', 'FLAG', SRV, "Do not verify OCSP Responder certificate ('on', 'off')", undefined, 'ignored'),
  e('SSLOCSPResponderCertificateFile', 'TAKE1', SRV, "Trusted OCSP responder certificates(`/path/to/file' - PEM encoded certificates)", file(), 'ignored'),
  e('SSLStaplingCache', 'TAKE1', SRV, "SSL Stapling Response Cache storage (`dbm:/path/to/file')", cacheCmd('stapling'), 'ignored'),
  e('SSLUseStapling', 'FLAG', SRV, "SSL switch for the OCSP Stapling protocol (`on', `off')", undefined, 'ignored'),
  e('SSLStaplingResponseTimeSkew', 'TAKE1', SRV, 'SSL stapling option for maximum time difference in OCSP responses', undefined, 'ignored'),
  e('SSLStaplingResponderTimeout', 'TAKE1', SRV, 'SSL stapling option for OCSP responder timeout', undefined, 'ignored'),
  e('SSLStaplingResponseMaxAge', 'TAKE1', SRV, 'SSL stapling option for maximum age of OCSP responses', undefined, 'ignored'),
  e('SSLStaplingStandardCacheTimeout', 'TAKE1', SRV, 'SSL stapling option for normal OCSP Response Cache Lifetime', undefined, 'ignored'),
  e('SSLStaplingReturnResponderErrors', 'FLAG', SRV, "SSL stapling switch to return Status Errors Back to Client(`on', `off')", undefined, 'ignored'),
  e('SSLStaplingFakeTryLater', 'FLAG', SRV, "SSL stapling switch to send tryLater response to client on error (`on', `off')", undefined, 'ignored'),
  e('SSLStaplingErrorCacheTimeout', 'TAKE1', SRV, 'SSL stapling option for OCSP Response Error Cache Lifetime', undefined, 'ignored'),
  e('SSLStaplingForceURL', 'TAKE1', SRV, 'SSL stapling option to Force the OCSP Stapling URL', undefined, 'ignored'),
  e('SSLOpenSSLConfCmd', 'TAKE2', SRV, 'OpenSSL configuration command', undefined, 'ignored'),
  e('SSLLog', 'RAW_ARGS', OR_ALL, 'SSLLog directive is no longer supported - use ErrorLog.', (cmd) => cmd.entry.help, 'ignored', 'removed from httpd'),
  e('SSLLogLevel', 'RAW_ARGS', OR_ALL, 'SSLLogLevel directive is no longer supported - use LogLevel.', (cmd) => cmd.entry.help, 'ignored', 'removed from httpd'),
);

/** mod_ssl's record of a server (main or vhost). */
export function sslServerConfig(configs: Map<ModuleDef, unknown>): SslServerConfig | undefined {
  return configs.get(sslModule as ModuleDef) as SslServerConfig | undefined;
}
