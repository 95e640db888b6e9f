/**
 * The ap_expr view of a request being served (`Require expr`, `Header … expr=`, the string
 * expressions of `Require user|host`, `AuthName`, `AuthType`): request and connection
 * variables, headers, the environment and notes, as util_expr_eval.c looks them up.
 */
import type { ExprContext } from '../../expr/index.js';
import type { RequestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { sslVar, tlsSocketOf } from '../ssl/vars.js';
import { authType } from './auth-state.js';

function header(ctx: RequestContext, name: string): string | undefined {
  const lower = name.toLowerCase();
  const raw = ctx.req.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === lower) values.push(raw[i + 1]);
  return values.length ? values.join(', ') : undefined;
}

function respHeader(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.res.getHeader(name);
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** An ExprContext for `ctx` (st: the request's state, for the server's name and port). */
export function requestExprContext(ctx: RequestContext, st: RequestState | undefined): ExprContext {
  const vars = (name: string): string | undefined => {
    switch (name) {
      case 'REQUEST_METHOD':
        return ctx.method;
      case 'REQUEST_SCHEME':
        return tlsSocketOf(ctx) ? 'https' : 'http';
      case 'REQUEST_URI':
      case 'DOCUMENT_URI':
        return ctx.uri;
      case 'REQUEST_FILENAME':
      case 'SCRIPT_FILENAME':
        return ctx.filename ?? ctx.uri;
      case 'QUERY_STRING':
        return ctx.args ?? undefined;
      case 'THE_REQUEST':
        return ctx.requestLine;
      case 'SERVER_PROTOCOL':
        return ctx.protocol;
      case 'REMOTE_ADDR':
      case 'REMOTE_HOST':
        return ctx.conn.peerIp;
      case 'REMOTE_PORT':
        return String(ctx.conn.peerPort);
      case 'CONN_REMOTE_ADDR':
        return ctx.conn.peerIp;
      case 'REMOTE_USER':
        return ctx.user;
      case 'AUTH_TYPE':
        return authType(ctx);
      case 'SERVER_NAME':
        return st?.hostname ?? st?.server.name;
      case 'SERVER_PORT':
        return String(st?.hostPort ?? ctx.conn.localPort);
      case 'SERVER_ADMIN':
        return st?.server.core.serverAdmin;
      case 'DOCUMENT_ROOT':
      case 'CONTEXT_DOCUMENT_ROOT':
        return st?.server.core.documentRoot;
      case 'CONTEXT_PREFIX':
        return '';
      case 'HANDLER':
        return ctx.handler;
      case 'CONTENT_TYPE':
        return respHeader(ctx, 'content-type');
      case 'REQUEST_STATUS':
        return String(ctx.status);
      case 'IS_SUBREQ':
        return 'false';
      case 'HTTPS':
        return tlsSocketOf(ctx) ? 'on' : 'off';
      case 'HTTP2':
        return 'off';
      case 'IPV6':
        return ctx.conn.peerIp.includes(':') && !ctx.conn.peerIp.startsWith('::ffff:') ? 'on' : 'off';
      case 'SERVER_SOFTWARE':
        return 'featherd';
      default:
        return name.startsWith('SSL_') ? sslVar(ctx, name) : undefined;
    }
  };
  return {
    var: vars,
    header: (n) => header(ctx, n),
    respHeader: (n) => respHeader(ctx, n),
    env: (n) => ctx.env.get(n),
    note: (n) => ctx.notes.get(n),
    remoteIp: ctx.conn.peerIp,
  };
}
