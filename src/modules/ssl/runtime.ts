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
import type { ModuleDef } from '../../directives/types.js';
import type { CompileContext, CompiledConfig, CompiledServer, RuntimeHooks } from '../../runtime/compile/types.js';
import { httpError } from '../../runtime/http-error.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext, TlsProvider } from '../../runtime/server.js';
import type { ConfigError } from '../../util/diagnostics.js';
import type { SslServerConfig } from './config.js';
import { buildServerTls, compatible, type ServerTls } from './contexts.js';
import { tlsSocketOf } from './vars.js';

/** Load-time data of mod_ssl for one configuration generation. */
export interface SslGlobal {
  servers: Map<CompiledServer, ServerTls>;
}

function sslConf(server: CompiledServer, m: ModuleDef): SslServerConfig | undefined {
  return server.configs.get(m) as SslServerConfig | undefined;
}

function compile(cc: CompileContext): ConfigError | undefined {
  const m = cc.module;
  const config = cc.config;
  const global: SslGlobal = { servers: new Map() };
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

function provider(config: Pick<CompiledConfig, 'vhostTable' | 'main'>, global: SslGlobal): TlsProvider {
  return ({ ip, port }) => {
    const conn = config.vhostTable.forConnection(ip, port);
    const base = global.servers.get(conn.base ?? config.main);
    if (!base) return null;
    const chain = conn.chain?.entries.map((e) => e.vhost.id) ?? [];
    const requestCert = base.requestCert || chain.some((s) => global.servers.get(s)?.requestCert === true);
    return {
      secureContext: base.context,
      SNICallback: (name, cb) => cb(null, (global.servers.get(sniServer(config, ip, port, name)) ?? base).context),
      requestCert,
      rejectUnauthorized: false,
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
  if (conf?.verifyClient === 'require' && !(s.authorized && s.getPeerX509Certificate())) {
    const why = s.getPeerX509Certificate() ? String(s.authorizationError ?? 'verification failed') : 'no client certificate';
    st.server.errorLog.log('error', 'ssl', `AH02039: Certificate Verification: Error: ${why}`, { ip: ctx.conn.peerIp, port: ctx.conn.peerPort });
    s.destroy();
    return 'done';
  }
  return 'declined';
}

export const sslRuntime: RuntimeHooks = {
  compile,
  register(pipeline, compiled, m) {
    pipeline.register('post_read', 'ssl:sni', (ctx) => checkConnection(m, compiled, ctx));
    pipeline.register('fixups', 'ssl:env', (ctx) => {
      if (tlsSocketOf(ctx)) ctx.env.set('HTTPS', 'on');
      return 'declined';
    });
  },
};
