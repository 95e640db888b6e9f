/**
 * mod_ssl at run time (TLS termination):
 *  - compile: a TLS context per server with `SSLEngine on` (contexts.ts); the configuration's
 *    TLS provider: a connection is TLS when the server chosen by its local address has
 *    `SSLEngine on`, and SNI picks the name-based virtual host's certificate;
 *  - post_read: the virtual host chosen by `Host` must be able to share the connection with
 *    the one chosen by SNI (httpd's `421 Misdirected Request`, AH02032 otherwise), and
 *    `SSLVerifyClient require` needs a verified client certificate;
 *  - fixups: `HTTPS=on` in the environment.
 */
import tls from 'node:tls';
import type { ModuleDef } from '../../directives/types.js';
import type { CompileContext, CompiledConfig, CompiledServer, RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError } from '../../runtime/http-error.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext, TlsProvider } from '../../runtime/server.js';
import type { ConfigError } from '../../util/diagnostics.js';
import type { SslServerConfig } from './config.js';
import { buildServerTls, compatible, type ServerTls } from './contexts.js';
import { clientVerifyError, setClientVerify, SSL_LOADED, tlsSocketOf } from './vars.js';

/** Load-time data of mod_ssl for one configuration generation. */
export interface SslGlobal {
  servers: Map<CompiledServer, ServerTls>;
  /** Per local address: the first context of its connections, trusting every CA its servers verify clients with. */
  addressContexts: Map<string, tls.SecureContext>;
}

function sslConf(server: CompiledServer, m: ModuleDef): SslServerConfig | undefined {
  return server.configs.get(m) as SslServerConfig | undefined;
}

function compile(cc: CompileContext): ConfigError | undefined {
  const m = cc.module;
  const config = cc.config;
  const global: SslGlobal = { servers: new Map(), addressContexts: new Map() };
  const mainLoc = { file: config.mainFile, line: 1, column: 1 };
  for (const server of [config.main, ...config.vhosts]) {
    const conf = sslConf(server, m);
    if (conf?.engine !== 'on') continue;
    const built = buildServerTls(server, conf, mainLoc);
    if (!built.ok) return built.error;
    global.servers.set(server, built.value);
  }
  config.data.set(m, global);
  (config as { tls?: TlsProvider }).tls = provider(config, global);
  return undefined;
}

/** The server a connection's SNI name selects (the address's default server without one). */
function sniServer(config: Pick<CompiledConfig, 'vhostTable' | 'main'>, localIp: string, localPort: number, sni: string | null): CompiledServer {
  const conn = config.vhostTable.forConnection(localIp, localPort);
  const base = conn.base ?? config.main;
  if (!sni) return base;
  const sel = conn.forRequest({ host: sni, uri: '/', strict: false });
  return sel.ok ? (sel.value.id ?? config.main) : base;
}

/**
 * The context a connection starts with: the default server's. Node keeps its certificate store
 * when SNI picks another server's certificate, so when servers of the address verify clients
 * with other CAs, the store trusts all of them.
 */
function addressContext(global: SslGlobal, key: string, base: ServerTls, all: ServerTls[]): tls.SecureContext {
  const cas = [...new Set(all.filter((t) => t.requestCert && t.ca).map((t) => t.ca as Buffer))];
  if (cas.length === 0 || (cas.length === 1 && cas[0] === base.ca)) return base.context;
  const have = global.addressContexts.get(key);
  if (have) return have;
  let made = base.context;
  try {
    made = tls.createSecureContext({ ...base.options, ca: cas });
  } catch {
    // The CAs were each accepted alone: keep the server's own context.
  }
  global.addressContexts.set(key, made);
  return made;
}

function provider(config: Pick<CompiledConfig, 'vhostTable' | 'main'>, global: SslGlobal): TlsProvider {
  return ({ ip, port }) => {
    const conn = config.vhostTable.forConnection(ip, port);
    const base = global.servers.get(conn.base ?? config.main);
    if (!base) return null;
    const chain = (conn.chain?.entries ?? []).map((e) => global.servers.get(e.vhost.id)).filter((t): t is ServerTls => t !== undefined);
    return {
      secureContext: addressContext(global, `${ip}:${port}`, base, [base, ...chain]),
      // Called by Node with the connection's socket as `this`: the SNI-chosen server's
      // SSLVerifyClient applies to the handshake (httpd switches the verify mode in its SNI callback).
      SNICallback(this: tls.TLSSocket, name: string, cb: (err: Error | null, ctx?: tls.SecureContext) => void): void {
        const chosen = global.servers.get(sniServer(config, ip, port, name)) ?? base;
        if (chosen.requestCert !== base.requestCert || chosen.requireCert !== base.requireCert) {
          setClientVerify(this, chosen.requestCert, chosen.requireCert);
        }
        cb(null, chosen.context);
      },
      requestCert: base.requestCert,
      // With SSLVerifyClient require a handshake without a certificate fails (OpenSSL's
      // "certificate required" alert), as with httpd.
      rejectUnauthorized: base.requireCert,
      ALPNProtocols: ['http/1.1'],
    };
  };
}

function checkConnection(m: ModuleDef, compiled: CompiledConfig, ctx: RequestContext): ReturnType<typeof httpError> | 'declined' | 'done' {
  const s = tlsSocketOf(ctx);
  if (!s) return 'declined';
  const st = requestState(ctx);
  if (!st) return 'declined';
  const servername = (s as { servername?: string | false }).servername;
  const sni = typeof servername === 'string' && servername !== '' ? servername : null;
  const chosen = sniServer(compiled, ctx.conn.localIp, ctx.conn.localPort, sni);
  if (chosen !== st.server && !compatible(sslConf(chosen, m), sslConf(st.server, m))) {
    const which = sni ? `${sni} provided via SNI` : `${chosen.name} (default host as no SNI was provided)`;
    const message = `AH02032: Hostname ${which} and hostname ${st.hostname ?? ''} provided via HTTP have no compatible SSL setup for policy 'secure'`;
    // httpd logs this at level error (a 4xx otherwise only reaches the log at info).
    st.server.errorLog.log('error', 'ssl', message, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
    return httpError(421, message);
  }
  const conf = sslConf(st.server, m);
  const failed = conf?.verifyClient === 'require' ? (s.getPeerX509Certificate() ? clientVerifyError(s) : 'no client certificate') : null;
  if (failed !== null) {
    const why = failed;
    st.server.errorLog.log('error', 'ssl', `AH02039: Certificate Verification: Error: ${why}`, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
    s.destroy();
    return 'done';
  }
  return 'declined';
}

export const sslRuntime: RuntimeHooks = {
  compile,
  register(pipeline, compiled, m) {
    pipeline.register('post_read', 'ssl:sni', (ctx) => {
      ctx.data.set(SSL_LOADED, true);
      return checkConnection(m, compiled, ctx);
    });
    // httpd runs mod_ssl's fixup (APR_HOOK_MIDDLE) before mod_headers' (APR_HOOK_LAST).
    pipeline.register(
      'fixups',
      'ssl:env',
      (ctx) => {
        if (tlsSocketOf(ctx)) ctx.env.set('HTTPS', 'on');
        return 'declined';
      },
      { before: ['headers:fixup'] },
    );
  },
};
