/**
 * `%{NAME}` in RewriteCond test strings and substitutions (mod_rewrite's lookup_variable):
 * request headers (remembered for Vary), `ENV:`, `HTTP:`, the server and request variables,
 * the time, `HTTPS`, `REQUEST_FILENAME` (r->filename as it is at that point).
 */
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { documentRoot, fileInfo, isTls } from '../core/static/index.js';
import { coreDir } from '../core/config.js';
import { connectionPeerIp } from '../remoteip/runtime.js';
import type { CompiledConfig } from '../../runtime/compile/types.js';

/** What variable lookups need besides the request. */
export interface VarContext {
  compiled: CompiledConfig;
  ctx: RequestContext;
  /** Header names read since the last reset (for Vary). */
  varyThis: string[];
  /** `r->filename` as the rules have left it (REQUEST_FILENAME), when it differs from the request's. */
  filename?: string;
}

/** apr_table_get: the first field of that name. */
function firstHeader(ctx: RequestContext, name: string): string | undefined {
  const raw = ctx.req.rawHeaders;
  const lower = name.toLowerCase();
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === lower) return raw[i + 1];
  return undefined;
}

function header(v: VarContext, name: string): string | undefined {
  const val = firstHeader(v.ctx, name);
  if (val !== undefined && name.toLowerCase() !== 'host') v.varyThis.push(name);
  return val;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** ap_get_server_name_for_url and ap_get_server_port. */
export function serverNameAndPort(ctx: RequestContext): { name: string; port: number; scheme: string; defaultPort: number } {
  const st = requestState(ctx);
  const tls = isTls(ctx);
  const defaultPort = tls ? 443 : 80;
  const canonical = st ? coreDir(st.dir).useCanonicalName === 'on' : false;
  const raw = canonical ? (st?.server.name ?? '') : (st?.hostname ?? st?.server.name ?? '');
  const name = raw.includes(':') ? `[${raw}]` : raw;
  const port = canonical ? st?.server.port || ctx.conn.localPort || defaultPort : (st?.hostPort ?? (st?.server.port || defaultPort));
  return { name, port, scheme: tls ? 'https' : 'http', defaultPort };
}

export function lookupVariable(v: VarContext, name: string): string {
  const ctx = v.ctx;
  if (name.length < 4) return '';
  if (name[3] === ':' && name.length > 4) {
    const pre = name.slice(0, 3).toUpperCase();
    if (pre === 'ENV') {
      const n = name.slice(4);
      return ctx.notes.get(n) ?? ctx.env.get(n) ?? process.env[n] ?? '';
    }
    return '';
  }
  if (name[4] === ':' && name.length > 5) {
    const pre = name.slice(0, 4).toUpperCase();
    if (pre === 'HTTP') return header(v, name.slice(5)) ?? '';
    if (pre === 'LA-U' || pre === 'LA-F') return lookupVariable(v, name.slice(5));
    return '';
  }
  const st = requestState(ctx);
  const now = new Date();
  switch (name.toUpperCase()) {
    case 'TIME':
      return `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
    case 'TIME_YEAR':
      return String(now.getFullYear()).padStart(4, '0');
    case 'TIME_MON':
      return pad(now.getMonth() + 1);
    case 'TIME_DAY':
      return pad(now.getDate());
    case 'TIME_HOUR':
      return pad(now.getHours());
    case 'TIME_MIN':
      return pad(now.getMinutes());
    case 'TIME_SEC':
      return pad(now.getSeconds());
    case 'TIME_WDAY':
      return String(now.getDay());
    case 'IPV6':
      return ctx.conn.peerIp.includes(':') && !/^::ffff:\d+\./i.test(ctx.conn.peerIp) ? 'on' : 'off';
    case 'HTTPS':
      return isTls(ctx) ? 'on' : 'off';
    case 'IS_SUBREQ':
      return 'false';
    case 'PATH_INFO':
      return fileInfo(ctx)?.pathInfo ?? '';
    case 'AUTH_TYPE':
      return ctx.user !== undefined ? 'Basic' : '';
    case 'HTTP_HOST':
      return header(v, 'Host') ?? '';
    case 'SERVER_NAME':
      return serverNameAndPort(ctx).name;
    case 'REMOTE_ADDR':
      return ctx.conn.peerIp.replace(/^::ffff:(?=\d+\.)/i, '');
    case 'CONN_REMOTE_ADDR':
      return connectionPeerIp(ctx).replace(/^::ffff:(?=\d+\.)/i, '');
    case 'SERVER_ADDR':
      return ctx.conn.localIp.replace(/^::ffff:(?=\d+\.)/i, '');
    case 'HTTP_ACCEPT':
      return header(v, 'Accept') ?? '';
    case 'THE_REQUEST':
      return ctx.requestLine;
    case 'API_VERSION':
      return '20120211:140';
    case 'HTTP_COOKIE':
      return header(v, 'Cookie') ?? '';
    case 'SERVER_PORT':
      return String(serverNameAndPort(ctx).port);
    case 'REMOTE_HOST':
      return ctx.conn.peerIp.replace(/^::ffff:(?=\d+\.)/i, '');
    case 'REMOTE_PORT':
      return String(ctx.conn.peerPort);
    case 'REMOTE_USER':
      return ctx.user ?? '';
    case 'SCRIPT_USER':
    case 'SCRIPT_GROUP':
      return '<unknown>';
    case 'REQUEST_URI':
      return ctx.uri;
    case 'REMOTE_IDENT':
      return '';
    case 'HTTP_REFERER':
      return header(v, 'Referer') ?? '';
    case 'QUERY_STRING':
      return ctx.args ?? '';
    case 'SERVER_ADMIN':
      return st?.server.core.serverAdmin ?? '';
    case 'DOCUMENT_ROOT':
    case 'CONTEXT_DOCUMENT_ROOT':
      return st ? documentRoot(v.compiled, st.server.core.documentRoot) : '';
    case 'CONTEXT_PREFIX':
      return '';
    case 'HTTP_FORWARDED':
      return header(v, 'Forwarded') ?? '';
    case 'REQUEST_METHOD':
      return ctx.method;
    case 'REQUEST_SCHEME':
      return isTls(ctx) ? 'https' : 'http';
    case 'HTTP_USER_AGENT':
      return header(v, 'User-Agent') ?? '';
    case 'SCRIPT_FILENAME':
    case 'REQUEST_FILENAME':
      return v.filename ?? ctx.filename ?? '';
    case 'SERVER_PROTOCOL':
      return ctx.protocol;
    case 'SERVER_SOFTWARE': {
      const s = ctx.res.getHeader('Server');
      return typeof s === 'string' ? s : '';
    }
    case 'HTTP_PROXY_CONNECTION':
      return header(v, 'Proxy-Connection') ?? '';
  }
  return '';
}
