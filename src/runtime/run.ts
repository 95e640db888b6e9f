/**
 * Starting, reloading and stopping the server (httpd's parent process, without children):
 *  - start: compile the configuration, bind every Listen address, write the PidFile;
 *  - reload (SIGHUP, SIGUSR1): read and compile the configuration again; a broken one is
 *    refused (the error is logged) and the running one keeps serving. Requests in progress
 *    finish on the generation they started on; listeners that are still configured are kept,
 *    new ones bound, dropped ones closed after their requests finished;
 *  - stop (SIGTERM: at once; SIGWINCH: graceful): close listeners, pools and logs, remove the
 *    PidFile.
 * The pipeline given to the listeners is a dispatcher: each request is pinned to the
 * generation current when it arrived and runs that generation's hooks.
 */
import dns from 'node:dns/promises';
import net from 'node:net';
import type { ConfigTree } from '../config/ast.js';
import type { LoadResult } from '../config/load.js';
import type { WalkState } from '../directives/types.js';
import { coreServer } from '../modules/core/config.js';
import { checkMpm } from '../modules/core/listen.js';
import { formatConfigError } from '../config/load.js';
import { formatText } from '../lint/format/text.js';
import { configErrors } from '../lint/verdict.js';
import type { CliIo } from '../cli/io.js';
import { serverDescription } from '../cli/version.js';
import type { ConfigError } from '../util/diagnostics.js';
import { reverseDns } from '../util/dns.js';
import { compileConfig } from './compile/index.js';
import type { CompiledConfig, CompiledListener } from './compile/types.js';
import { requestErrorLog, requestState } from './request.js';
import { isPending, startServer, type HookResult, type PhaseRunner, type RequestContext, type RunningServer, type ServerOptions, type TlsProvider } from './server.js';
import type { HttpError } from './http-error.js';
import { removeOwnPidFile, writePidFile } from './pidfile.js';

export interface RuntimeOptions {
  /** Reads and walks the configuration afresh (used at start unless `initial` is given, and on every reload). */
  load: () => LoadResult;
  /** An already read configuration for the first generation. */
  initial?: { tree: ConfigTree; state: WalkState };
  io: CliIo;
  /** Program name in messages. */
  argv0?: string;
  /** Write (and on stop remove) the PidFile; false in a worker of a several-process server, whose parent holds it. */
  writePidFile?: boolean;
}

export interface FeatherServer {
  /** The addresses bound (one per Listen). */
  addresses(): { host: string; port: number }[];
  /** The configuration generation new requests are served by. */
  current(): CompiledConfig;
  /** Re-reads the configuration (SIGHUP/SIGUSR1). A broken configuration is refused and logged. */
  reload(): Promise<{ ok: true } | { ok: false; error: string }>;
  /** Stops serving: at once, or gracefully (requests in progress finish). */
  stop(opts?: { graceful?: boolean }): Promise<void>;
  /** Resolves once the server stopped. */
  stopped: Promise<void>;
}

interface Generation {
  compiled: CompiledConfig;
  inflight: number;
  retired: boolean;
}

interface Bound {
  key: string;
  listener: CompiledListener;
  running: RunningServer;
}

const GEN = Symbol('featherd.generation');

function listenerKey(l: CompiledListener): string {
  return `${l.host}|${l.port}`;
}

/**
 * What httpd looks up at startup, before compiling: the addresses of `<VirtualHost name>` host
 * names, and the reverse DNS name of the first address of each `<VirtualHost>` without
 * ServerName (its name then, in ap_fini_vhost_config), by address as written, lower-cased.
 */
async function resolveVhostNames(state: WalkState): Promise<{ addresses: Map<string, string[]>; reverse: Map<string, string | undefined> }> {
  const addresses = new Map<string, string[]>();
  for (const v of state.vhosts) {
    for (const a of coreServer(v).addresses) {
      if (a.wildcard || net.isIP(a.host) || addresses.has(a.host.toLowerCase())) continue;
      try {
        const found = await dns.lookup(a.host, { all: true });
        addresses.set(a.host.toLowerCase(), found.map((f) => f.address));
      } catch {
        addresses.set(a.host.toLowerCase(), []);
      }
    }
  }
  const reverse = new Map<string, string | undefined>();
  for (const v of state.vhosts) {
    const c = coreServer(v);
    const first = c.addresses[0];
    if (c.serverName || !first || c.addresses.some((a) => a.wildcard)) continue;
    const key = first.host.toLowerCase();
    if (reverse.has(key)) continue;
    const ip = net.isIP(first.host) ? first.host : addresses.get(key)?.[0];
    reverse.set(key, ip === undefined ? undefined : await reverseDns(ip));
  }
  return { addresses, reverse };
}

function errorText(e: ConfigError, argv0: string): string {
  return formatConfigError(e, argv0) + (e.hint ? `\n${e.hint}` : '');
}

/** A compiler error: httpd's text as it prints it, then featherd's pointer to the config line. */
function compileErrorText(e: ConfigError): string {
  return e.message + (e.hint ? `\n${e.hint}` : '');
}

/** Reads the configuration and checks what httpd checks after reading (one MPM). */
function loadChecked(opts: RuntimeOptions, argv0: string): { ok: true; tree: ConfigTree; state: WalkState } | { ok: false; error: string } {
  let loaded: LoadResult;
  try {
    loaded = opts.load();
  } catch (e) {
    return { ok: false, error: `${argv0}: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (loaded.error || !loaded.tree || !loaded.state) {
    const e = loaded.error ?? { phase: 'plain' as const, message: 'Configuration could not be read' };
    return { ok: false, error: errorText(e, argv0) };
  }
  const mpm = checkMpm(loaded.state);
  if (mpm) return { ok: false, error: `AH00534: ${argv0}: Configuration error: ${mpm}` };
  // What featherd cannot serve as httpd would refuses a reload as it refuses the start.
  const blocking = configErrors(loaded.diagnostics);
  if (blocking.length > 0) {
    const which = blocking.length === 1 ? 'the error above names' : `the ${blocking.length} errors above name`;
    return {
      ok: false,
      error: `${formatText(blocking, process.cwd()).trimEnd()}\n${argv0}: Configuration check failed: ${which} what featherd cannot serve as httpd would`,
    };
  }
  return { ok: true, tree: loaded.tree, state: loaded.state };
}

async function compileGeneration(tree: ConfigTree, state: WalkState, generation: number, io: CliIo, argv0: string) {
  const { addresses, reverse } = await resolveVhostNames(state);
  const warnings: string[] = [];
  const r = compileConfig(state, tree, {
    generation,
    resolved: addresses,
    reverseNames: reverse,
    std: { stdout: io.stdout, stderr: io.stderr },
    warn: (m, loc) => warnings.push(loc ? `${m} (${loc.file}:${loc.line})` : m),
  });
  if (!r.ok) return { ok: false as const, error: compileErrorText(r.error) };
  for (const w of warnings) r.value.main.errorLog.log('warn', 'core', w);
  return { ok: true as const, value: r.value };
}

function serverOptions(c: CompiledConfig, onError: ServerOptions['onError'], respondError: ServerOptions['respondError']): Omit<ServerOptions, 'listen'> {
  const core = c.main.core;
  const o: Omit<ServerOptions, 'listen'> = {
    timeoutMs: (core.timeout ?? 60) * 1000,
    keepAlive: core.keepAlive ?? true,
    keepAliveTimeoutMs: core.keepAliveTimeout ?? 5000,
    maxKeepAliveRequests: core.maxKeepAliveRequests ?? 100,
    limits: {
      ...(core.limitRequestLine !== undefined ? { requestLine: core.limitRequestLine } : {}),
      ...(core.limitRequestFieldSize !== undefined ? { fieldSize: core.limitRequestFieldSize } : {}),
      ...(core.limitRequestFields !== undefined ? { fields: core.limitRequestFields } : {}),
    },
    serverBanner: core.serverTokens === 'Full' || core.serverTokens === 'OS' ? serverDescription() : 'featherd',
    onError,
    respondError,
  };
  if (core.serverAdmin !== undefined) o.serverAdmin = core.serverAdmin;
  return o;
}

/** Where an error reaching the edge is logged: level and module as httpd would log it. */
function logHttpError(ctx: RequestContext | null, e: HttpError, fallback: CompiledConfig): void {
  const st = ctx ? requestState(ctx) : undefined;
  const server = st?.server ?? fallback.main;
  const proxied = ctx?.handler === 'proxy-server';
  const level = e.status >= 500 ? 'error' : 'info';
  const module = proxied && e.status >= 500 ? 'proxy' : 'core';
  const client = ctx ? { ip: ctx.conn.peerIp, port: ctx.conn.peerPort } : undefined;
  (st ? requestErrorLog(st) : server.errorLog).log(level, module, e.logMessage, client);
}

/** Starts serving the configuration. Errors are httpd's startup messages. */
export async function startRuntime(opts: RuntimeOptions): Promise<{ ok: true; value: FeatherServer } | { ok: false; error: string }> {
  const argv0 = opts.argv0 ?? 'featherd';
  const first = opts.initial ? { ok: true as const, ...opts.initial } : loadChecked(opts, argv0);
  if (!first.ok) return first;
  let genNo = 1;
  const c1 = await compileGeneration(first.tree, first.state, genNo, opts.io, argv0);
  if (!c1.ok) return c1;
  let current: Generation = { compiled: c1.value, inflight: 0, retired: false };

  const release = (g: Generation): void => {
    g.inflight--;
    if (g.retired && g.inflight === 0) void g.compiled.close();
  };
  const pin = (ctx: RequestContext): Generation => {
    let g = ctx.data.get(GEN) as Generation | undefined;
    if (!g) {
      g = current;
      g.inflight++;
      ctx.data.set(GEN, g);
    }
    return g;
  };
  // Each request runs the hooks of the generation it was pinned to; the log phase releases it.
  const dispatch: PhaseRunner = {
    runPhase(phase, ctx) {
      const g = pin(ctx);
      if (phase !== 'log') return g.compiled.pipeline.runPhase(phase, ctx);
      let r: HookResult | Promise<HookResult>;
      try {
        r = g.compiled.pipeline.runPhase(phase, ctx);
      } catch (e) {
        release(g);
        throw e;
      }
      if (isPending(r)) return r.finally(() => release(g));
      release(g);
      return r;
    },
  };
  const onError: ServerOptions['onError'] = (ctx, e) => logHttpError(ctx, e, ctx ? pin(ctx).compiled : current.compiled);
  const respondError: ServerOptions['respondError'] = async (ctx, e) => {
    for (const r of pin(ctx).compiled.errorResponders) if (await r(ctx, e)) return true;
    return false;
  };

  const bound = new Map<string, Bound>();
  // Each new connection asks the generation current at that moment (mod_ssl's contexts).
  const tlsFor: TlsProvider = (local) => current.compiled.tls?.(local) ?? null;
  const bindAll = async (c: CompiledConfig): Promise<string | null> => {
    const wanted = new Map(c.listeners.map((l) => [listenerKey(l), l]));
    const added: Bound[] = [];
    for (const [key, l] of wanted) {
      if (bound.has(key)) continue;
      const so = { ...serverOptions(c, onError, respondError), ...(c.tls ? { tls: tlsFor } : {}) };
      let r = await startServer(dispatch, { ...so, listen: [{ host: l.host, port: l.port }] });
      if (!r.ok && l.host === '::') r = await startServer(dispatch, { ...so, listen: [{ host: '0.0.0.0', port: l.port }] });
      if (!r.ok) {
        await Promise.all(added.map((b) => b.running.close()));
        for (const b of added) bound.delete(b.key);
        return r.error;
      }
      const b = { key, listener: l, running: r.value };
      bound.set(key, b);
      added.push(b);
    }
    // Listeners kept from the previous configuration take this one's Timeout, KeepAlive… settings.
    for (const [key, b] of bound) if (wanted.has(key) && !added.includes(b)) b.running.update(serverOptions(c, onError, respondError));
    for (const [key, b] of [...bound]) {
      if (wanted.has(key)) continue;
      bound.delete(key);
      void b.running.close({ graceful: true });
    }
    return null;
  };

  const bindErr = await bindAll(current.compiled);
  if (bindErr) {
    await current.compiled.close();
    return { ok: false, error: `${bindErr}\nno listening sockets available, shutting down\nAH00015: Unable to open logs` };
  }
  const pidError = opts.writePidFile === false ? undefined : writePidFile(current.compiled.pidFile, argv0);
  if (pidError) {
    await Promise.all([...bound.values()].map((b) => b.running.close()));
    await current.compiled.close();
    return { ok: false, error: pidError };
  }
  current.compiled.main.errorLog.log('notice', 'mpm_event', `AH00489: ${serverDescription()} configured -- resuming normal operations`);

  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((r) => (resolveStopped = r));
  let reloading: Promise<{ ok: true } | { ok: false; error: string }> = Promise.resolve({ ok: true });

  const doReload = async (): Promise<{ ok: true } | { ok: false; error: string }> => {
    if (stopping) return { ok: false, error: 'the server is stopping' };
    const log = current.compiled.main.errorLog;
    const refuse = (error: string) => {
      log.log('error', 'core', `${error.replace(/\n/g, ' ')} -- configuration not reloaded, the running configuration is kept`);
      return { ok: false as const, error };
    };
    const next = loadChecked(opts, argv0);
    if (!next.ok) return refuse(next.error);
    const c = await compileGeneration(next.tree, next.state, genNo + 1, opts.io, argv0);
    if (!c.ok) return refuse(c.error);
    const old = current;
    const fresh: Generation = { compiled: c.value, inflight: 0, retired: false };
    current = fresh;
    const err = await bindAll(c.value);
    if (err) {
      current = old;
      await c.value.close();
      return refuse(err);
    }
    genNo++;
    old.retired = true;
    if (old.inflight === 0) void old.compiled.close();
    // A new PidFile that cannot be written leaves the old one in place, still valid.
    if (c.value.pidFile !== old.compiled.pidFile && opts.writePidFile !== false && writePidFile(c.value.pidFile, argv0) === undefined) {
      removeOwnPidFile(old.compiled.pidFile);
    }
    c.value.main.errorLog.log('notice', 'mpm_event', `AH00489: ${serverDescription()} configured -- resuming normal operations`);
    return { ok: true };
  };

  const server: FeatherServer = {
    addresses: () => [...bound.values()].flatMap((b) => b.running.addresses),
    current: () => current.compiled,
    reload: () => (reloading = reloading.then(doReload, doReload)),
    stop: (o = {}) =>
      (stopping ??= (async () => {
        await reloading.catch(() => undefined);
        const all = [...bound.values()];
        bound.clear();
        await Promise.all(all.map((b) => b.running.close({ graceful: o.graceful === true })));
        current.retired = true;
        await current.compiled.close();
        removeOwnPidFile(current.compiled.pidFile);
        resolveStopped();
      })()),
    stopped,
  };
  return { ok: true, value: server };
}
