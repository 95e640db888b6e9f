/**
 * mod_log_config at run time: each server's CustomLog/TransferLog destinations opened and
 * their formats compiled once per (re)load; one line per request in the log phase.
 * A virtual host without logs of its own uses the main server's; GlobalLog lines are
 * written for every virtual host too.
 */
import type { ModuleDef } from '../../directives/types.js';
import type { CompileContext, CompiledServer, RuntimeHooks } from '../../runtime/compile/types.js';
import { compileError } from '../../runtime/compile/index.js';
import type { LogSink } from '../../runtime/logfiles.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import { DEFAULT_LOG_FORMAT, type LogConfigServer, type LogTarget } from './config.js';
import { compileLogFormat, type LogFormatter, type LogRecord } from './runtime/format.js';
import { sslVars } from '../ssl/vars.js';
import { connectionPeerIp } from '../remoteip/runtime.js';

interface CompiledLog {
  sink: LogSink;
  format: LogFormatter;
  env?: { name: string; negate: boolean };
}

function recordOf(server: CompiledServer, m: ModuleDef): LogConfigServer | undefined {
  return server.rec.configs.get(m) as LogConfigServer | undefined;
}

function compile(cc: CompileContext) {
  const m = cc.module;
  const main = cc.config.main;
  const mainConf = recordOf(main, m);
  for (const server of [main, ...cc.config.vhosts]) {
    const own = server.isVirtual ? recordOf(server, m) : mainConf;
    const formats = new Map([...(mainConf?.formats ?? []), ...(server.isVirtual ? (own?.formats ?? []) : [])]);
    const defaultFormat = own?.defaultFormat ?? mainConf?.defaultFormat;
    let targets: LogTarget[];
    if (!server.isVirtual) targets = mainConf?.logs ?? [];
    else if (own && own.logs.length) targets = [...own.logs, ...(mainConf?.logs ?? []).filter((l) => l.global)];
    else targets = mainConf?.logs ?? [];
    const logs: CompiledLog[] = [];
    for (const t of targets) {
      const text = t.format === undefined ? (defaultFormat?.format ?? DEFAULT_LOG_FORMAT) : (formats.get(t.format)?.format ?? t.format);
      const f = compileLogFormat(text);
      if (!f.ok) return compileError(f.error, t.loc, 'CustomLog at');
      const sink = cc.logFiles.open(t.target);
      if (!sink.ok) return compileError(`${sink.error}: AH00649: could not open transfer log file ${sink.path}.\nAH00015: Unable to open logs`, t.loc, 'CustomLog at');
      logs.push({ sink: sink.sink, format: f.value, ...(t.env ? { env: t.env } : {}) });
      if (t.expr !== undefined) cc.warn(`CustomLog expr= is not evaluated by featherd: every request is logged to ${t.target}`, t.loc);
    }
    server.data.set(m, logs);
  }
  return undefined;
}

function responseHeaders(ctx: RequestContext): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(ctx.res.getHeaders())) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push([k, String(x)]);
    else out.push([k, String(v)]);
  }
  return out;
}

function requestHeaders(ctx: RequestContext): [string, string][] {
  const raw = ctx.req.rawHeaders;
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i], raw[i + 1]]);
  return out;
}

function logRecord(ctx: RequestContext, server: CompiledServer): LogRecord {
  const st = requestState(ctx);
  // The header lists are made only for formats that print a header (%{…}i, %{…}o, %{…}C).
  let reqHeaders: [string, string][] | undefined;
  let resHeaders: [string, string][] | undefined;
  const r: LogRecord = {
    // %{c}a / %{c}h: the TCP peer; %a / %h: the client after mod_remoteip.
    peerIp: connectionPeerIp(ctx),
    clientIp: ctx.conn.peerIp,
    remoteHost: ctx.conn.peerIp,
    peerPort: ctx.conn.peerPort,
    localIp: ctx.conn.localIp,
    localPort: ctx.conn.localPort,
    requestTimeUs: ctx.startUs,
    requestLine: ctx.requestLine,
    method: ctx.req.method ?? ctx.method,
    protocol: ctx.protocol,
    uri: st?.redirect?.fromUri ?? ctx.uri,
    args: ctx.args,
    status: ctx.status,
    bytesSent: ctx.bytesSent,
    get requestHeaders() {
      return (reqHeaders ??= requestHeaders(ctx));
    },
    get responseHeaders() {
      return (resHeaders ??= responseHeaders(ctx));
    },
    // Read only by formats with %{…}x (cached per TLS connection by sslVars).
    get sslVars() {
      return sslVars(ctx);
    },
    env: ctx.env,
    notes: ctx.notes,
    serverName: server.name,
    requestServerName: st?.hostname ?? server.name,
    serverPort: server.port || ctx.conn.localPort,
    pid: process.pid,
    threadId: process.pid,
    keepAlives: ctx.conn.keepAlives,
    connectionStatus: ctx.aborted ? 'X' : ctx.res.shouldKeepAlive ? '+' : '-',
  };
  if (ctx.filename !== undefined) r.filename = ctx.filename;
  if (ctx.handler !== undefined) r.handler = ctx.handler;
  if (ctx.user !== undefined) r.user = ctx.user;
  return r;
}

export const logConfigRuntime: RuntimeHooks = {
  compile,
  register(pipeline, compiled, m) {
    pipeline.register('log', 'log_config:transaction', (ctx) => {
      const server = requestState(ctx)?.server ?? compiled.main;
      const logs = (server.data.get(m) as CompiledLog[] | undefined) ?? [];
      if (logs.length === 0) return 'ok';
      const rec = logRecord(ctx, server);
      for (const l of logs) {
        if (l.env && ctx.env.has(l.env.name) === l.env.negate) continue;
        l.sink.write(l.format(rec) + '\n');
      }
      return 'ok';
    });
  },
};
