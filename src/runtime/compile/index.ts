/**
 * The compiler: walked configuration → CompiledConfig (DESIGN.md "compile once, serve many").
 * Listeners, the vhost table, one CompiledServer per server with the main server's settings
 * merged in, compiled `<Location>` matchers, the error logs; then every loaded module's
 * `runtime.compile` step (pools, log formats, rules) and `runtime.register` (its hooks).
 */
import net from 'node:net';
import os from 'node:os';
import type { ConfigTree, Loc } from '../../config/ast.js';
import type { ConfigSet, ModuleDef, ServerRec, WalkState } from '../../directives/types.js';
import { coreServer, pidFilePath, type CoreServerConfig } from '../../modules/core/config.js';
import { fail, ok, type ConfigError, type Result } from '../../util/diagnostics.js';
import type { TextSink } from '../../cli/io.js';
import { createErrorLog, effectiveLevels } from '../errorlog.js';
import { LogFiles } from '../logfiles.js';
import { mpmSettings } from '../mpm.js';
import { Pipeline } from '../server.js';
import { VhostTable, type VhostAddr, type VhostInput } from '../vhost.js';
import { mergeDirSets, mergeServerSets } from './merge.js';
import { compileLocation } from './sections.js';
import type { CompileContext, CompiledConfig, CompiledListener, CompiledSection, CompiledServer } from './types.js';
import { moduleRuntimes } from '../../modules/runtimes.js';

export type { CompiledConfig, CompiledServer, CompiledSection, CompiledListener, RuntimeHooks, CompileContext, ErrorResponder } from './types.js';

export interface CompileOptions {
  generation?: number;
  /** `<VirtualHost>` host names resolved to addresses (run.ts looks them up before compiling). */
  resolved?: ReadonlyMap<string, string[]>;
  /**
   * The reverse DNS names of the first addresses of `<VirtualHost>`s without ServerName, by
   * address as written, lower-cased (run.ts looks them up before compiling).
   */
  reverseNames?: ReadonlyMap<string, string | undefined>;
  /** The main server's name when it has no ServerName (httpd uses the machine's name). */
  localName?: string;
  /** Where `/dev/stdout` and `/dev/stderr` logs go (the process's streams by default). */
  std?: { stdout: TextSink; stderr: TextSink };
  /** Startup warnings (httpd would log them to the error log while starting). */
  warn?: (message: string, loc?: Loc) => void;
}

/** Core settings a virtual host takes from the main server when it does not set them itself. */
const INHERITED: (keyof CoreServerConfig)[] = [
  'serverAdmin', 'timeout', 'keepAlive', 'keepAliveTimeout', 'maxKeepAliveRequests', 'documentRoot', 'errorLog',
  'serverTokens', 'limitRequestLine', 'limitRequestFieldSize', 'limitRequestFields', 'strictHostCheck', 'mergeSlashes',
  'allowEncodedSlashes', 'traceEnable', 'protocols', 'protocolsHonorOrder', 'protocol', 'redirectLimit', 'subreqLimit',
];

function mergedCore(main: CoreServerConfig, vh: CoreServerConfig): CoreServerConfig {
  const out: CoreServerConfig = { ...vh };
  const rec = out as unknown as Record<string, unknown>;
  for (const k of INHERITED) if (rec[k] === undefined) rec[k] = main[k];
  out.httpProtocolOptions = { ...main.httpProtocolOptions, ...definedOnly(vh.httpProtocolOptions) };
  out.logLevel = effectiveLevels(vh.logLevel, effectiveLevels(main.logLevel));
  return out;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isLoaded(tree: ConfigTree, m: ModuleDef): boolean {
  return m.builtin === true || tree.loadedModules.includes(m.id);
}

/**
 * A config-time error of the compiler: httpd's message (what httpd prints on stderr), and
 * where in the config it comes from (`hint`: featherd's pointer to the line).
 */
export function compileError(message: string, loc?: Loc, what?: string): ConfigError {
  if (!loc) return { phase: 'plain', message };
  return { phase: 'plain', message, loc, hint: `featherd: ${what ?? 'see'} ${loc.file}:${loc.line}` };
}

const UNABLE_TO_OPEN_LOGS = '\nAH00015: Unable to open logs';

export function compileConfig(state: WalkState, tree: ConfigTree, opts: CompileOptions = {}): Result<CompiledConfig> {
  const closers: (() => Promise<void> | void)[] = [];
  const logFiles = new LogFiles(tree.serverRoot, opts.std ?? { stdout: process.stdout, stderr: process.stderr });
  closers.push(() => logFiles.close());
  const abort = (e: ConfigError): Result<CompiledConfig> => {
    void Promise.all(closers.map((c) => c()));
    return fail(e);
  };

  const mainCore = coreServer(state.mainServer);
  const mainFileLoc: Loc = { file: tree.mainFile, line: 1, column: 1 };
  if (mainCore.listeners.length === 0) {
    const e = compileError(`no listening sockets available, shutting down${UNABLE_TO_OPEN_LOGS}`, mainFileLoc);
    e.hint = `featherd: no Listen directive in ${tree.mainFile}`;
    return abort(e);
  }
  const listeners: CompiledListener[] = mainCore.listeners.map((l) => ({
    host: l.address ?? '::',
    port: l.port,
    protocol: l.protocol,
    loc: l.loc,
  }));

  const mainName = mainCore.serverName?.host ?? opts.localName ?? os.hostname();
  const buildServer = (rec: ServerRec, index: number, main?: CompiledServer): Result<CompiledServer> => {
    const own = coreServer(rec);
    const core = main ? mergedCore(main.core, own) : mergedCore(own, own);
    let name = own.serverName?.host;
    if (name === undefined) {
      if (!main) name = mainName;
      else if (own.addresses.some((a) => a.wildcard) || own.addresses.length === 0) name = main.name;
      else {
        const addr = own.addresses[0].host;
        name = opts.reverseNames?.get(addr.toLowerCase());
        if (name === undefined) {
          name = 'bogus_host_without_reverse_dns';
          opts.warn?.(`AH00549: Failed to resolve server name for ${addr} (check DNS) -- or specify an explicit ServerName`, rec.section?.loc);
        }
      }
    }
    const target = core.errorLog ?? 'logs/error_log';
    const sink = logFiles.open(target);
    if (!sink.ok) {
      const where = own.serverName?.loc ?? (rec.section ? rec.section.loc : mainFileLoc);
      return fail(compileError(`${sink.error}: AH00091: featherd: could not open error log file ${sink.path}.${UNABLE_TO_OPEN_LOGS}`, where, 'ErrorLog of the server at'));
    }
    const locations: CompiledSection[] = [];
    for (const s of [...(main?.core.sections ?? []), ...own.sections]) {
      const c = compileLocation(s);
      if (c) locations.push(c);
    }
    const configs: ConfigSet = main ? mergeServerSets(main.configs, rec.configs) : new Map(rec.configs);
    const dirDefaults: ConfigSet = main ? mergeDirSets(main.dirDefaults, rec.dirConfigs) : new Map(rec.dirConfigs);
    return ok({
      index,
      isVirtual: main !== undefined,
      rec,
      name,
      port: own.serverName?.port ?? (main ? main.port : 0),
      core,
      configs,
      dirDefaults,
      locations,
      errorLog: createErrorLog(sink.sink, core.logLevel),
      data: new Map(),
    });
  };

  const mainR = buildServer(state.mainServer, 0);
  if (!mainR.ok) return abort(mainR.error);
  const main = mainR.value;
  const vhosts: CompiledServer[] = [];
  for (const [i, v] of state.vhosts.entries()) {
    const r = buildServer(v, i + 1, main);
    if (!r.ok) return abort(r.error);
    vhosts.push(r.value);
  }

  const inputs: VhostInput<CompiledServer>[] = vhosts.map((vs) => {
    const c = coreServer(vs.rec);
    const addrs: VhostAddr[] = [];
    const addrNames: string[] = [];
    for (const a of c.addresses) {
      const port: number | '*' = a.port === 0 ? '*' : a.port;
      if (a.wildcard) addrs.push({ ip: '*', port });
      else if (net.isIP(a.host)) addrs.push({ ip: a.host, port });
      else {
        addrNames.push(a.host);
        for (const ip of opts.resolved?.get(a.host.toLowerCase()) ?? []) addrs.push({ ip, port });
      }
    }
    const names = c.serverName ? [c.serverName.host, ...c.aliases] : [vs.name, ...c.aliases];
    const input: VhostInput<CompiledServer> = { id: vs, addrs, names, wildcards: c.wildAliases, addrNames };
    if (c.serverPath !== undefined) input.serverPath = c.serverPath;
    return input;
  });

  const pidFile = pidFilePath(tree.serverRoot, mainCore);
  const base: Omit<CompiledConfig, 'pipeline' | 'close' | 'errorResponders'> = {
    generation: opts.generation ?? 1,
    serverRoot: tree.serverRoot,
    mainFile: tree.mainFile,
    listeners,
    main,
    vhosts,
    vhostTable: new VhostTable({ vhosts: inputs }),
    pidFile,
    mpm: mpmSettings(mainCore, tree.loadedModules),
    data: new Map(),
  };
  const modules = state.registry.modules.filter((m) => isLoaded(tree, m));
  for (const m of modules) {
    const rt = moduleRuntimes.get(m.id);
    const compile = rt?.compile;
    if (!rt || !compile) continue;
    const cc: CompileContext = {
      config: base,
      registry: state.registry,
      module: m,
      loadedModules: tree.loadedModules,
      logFiles,
      onClose: (fn) => void closers.push(fn),
      warn: (message, loc) => opts.warn?.(message, loc),
    };
    let err: ConfigError | undefined;
    try {
      err = compile.call(rt, cc);
    } catch (e) {
      err = compileError(`${m.id}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (err) return abort(err);
  }
  warnNotApplied(state, modules, opts.warn);
  const pipeline = new Pipeline();
  let closed: Promise<void> | undefined;
  const compiled: CompiledConfig = {
    ...base,
    pipeline,
    errorResponders: [],
    close: () => (closed ??= Promise.all(closers.map((c) => c())).then(() => undefined)),
  };
  for (const m of modules) {
    const rt = moduleRuntimes.get(m.id);
    rt?.register?.call(rt, pipeline, compiled, m);
  }
  return ok(compiled);
}

/**
 * A module whose directives are in the configuration but that has no run-time part yet: its
 * directives are accepted and checked, and have no effect while serving. Said once per module
 * at startup, so that e.g. an access rule is not silently left unenforced.
 */
function warnNotApplied(state: WalkState, modules: ModuleDef[], warn: CompileOptions['warn']): void {
  if (!warn) return;
  const sets: ConfigSet[] = [];
  const addServer = (rec: ServerRec) => {
    sets.push(rec.configs, rec.dirConfigs);
    const walk = (secs: CoreServerConfig['sections']) => {
      for (const s of secs) {
        sets.push(s.dirConfigs);
        walk(s.nested);
      }
    };
    walk(coreServer(rec).sections);
  };
  addServer(state.mainServer);
  for (const v of state.vhosts) addServer(v);
  for (const m of modules) {
    if (moduleRuntimes.has(m.id) || !m.directives.some((d) => d.support !== 'ignored')) continue;
    if (!sets.some((s) => s.has(m))) continue;
    warn(`featherd does not apply the directives of ${m.id} when serving yet: they are checked, and have no effect`);
  }
}
