import type { ConfigNode, ConfigSection, ConfigTree, Loc } from '../config/ast.js';
import type { ConfigError, Diagnostic } from '../util/diagnostics.js';
import { checkContext } from './context.js';
import { invoke } from './invoke.js';
import type { Cmd, ConfigSet, DirectiveEntry, ModuleDef, Registry, ServerRec, WalkState } from './types.js';
import { ACCESS_CONF, OR_ALL, OR_AUTHCFG, OR_LIMIT, RSRC_CONF } from './types.js';
import { suggest } from './suggest.js';

/** Returned by a handler to let the next module that declares the same name try (httpd's DECLINE_CMD). */
export const DECLINE_CMD = '\u0000decline';

interface Frame {
  override: number;
  path?: string;
  sections: ConfigSection[];
  server: ServerRec;
  dirConfigs: ConfigSet;
}

function newServer(section?: ConfigSection): ServerRec {
  return { isVirtual: section !== undefined, section, configs: new Map(), dirConfigs: new Map() };
}

function locOf(node: ConfigNode): Loc {
  return node.loc;
}

type Candidate = { module: ModuleDef; entry: DirectiveEntry };

/** The handlers a written name resolves to: its lower-cased form and the loaded modules' entries. */
interface Resolved {
  lower: string;
  candidates: Candidate[];
}

/** One walk: the state, the loaded modules and the name look-ups made so far. */
class Walker {
  readonly loaded: Set<string>;
  /** Directive names as written → resolution (names repeat: one look-up per spelling). */
  private readonly directiveNames = new Map<string, Resolved>();
  private readonly sectionNames = new Map<string, Resolved>();
  /** Section names as written → the name httpd shows for the enclosing section. */
  private readonly canonical = new Map<string, string>();

  constructor(
    readonly state: WalkState,
    readonly registry: Registry,
  ) {
    this.loaded = new Set(state.tree.loadedModules);
  }

  private resolve(node: ConfigNode): Resolved {
    const names = node.kind === 'section' ? this.sectionNames : this.directiveNames;
    let r = names.get(node.name);
    if (r === undefined) {
      const lower = node.kind === 'section' ? `<${node.name.toLowerCase()}` : node.name.toLowerCase();
      const candidates = this.registry.lookup(lower).filter((c) => this.loaded.has(c.module.id) || c.module.builtin);
      r = { lower, candidates };
      names.set(node.name, r);
    }
    return r;
  }

  private canonicalSectionName(section: ConfigSection): string {
    let name = this.canonical.get(section.name);
    if (name === undefined) {
      name = canonicalSectionName(section, this.registry);
      this.canonical.set(section.name, name);
    }
    return name;
  }

  walk(nodes: ConfigNode[], frame: Frame): ConfigError | undefined {
    for (let i = 0; i < nodes.length; i++) {
      const err = this.runNode(nodes[i], frame);
      if (err) return err;
    }
    return undefined;
  }

  private runNode(node: ConfigNode, frame: Frame): ConfigError | undefined {
    const { lower, candidates } = this.resolve(node);
    if (candidates.length === 0) {
      const registry = this.registry;
      const shown = node.kind === 'section' ? `<${node.name}` : node.name;
      const known = registry.lookup(lower);
      const hint = known.length
        ? `${shown} is provided by ${known[0].module.id}, which is not loaded: add \`LoadModule ${known[0].module.id} …\``
        : didYouMean(shown, registry, this.loaded);
      return located(
        node,
        `Invalid command '${shown}', perhaps misspelled or defined by a module not included in the server configuration`,
        hint,
      );
    }
    for (let i = 0; i < candidates.length; i++) {
      const entry = candidates[i].entry;
      const cmd = new WalkCmd(node, entry, frame, this);
      const parent = frame.sections[frame.sections.length - 1];
      const res = invoke(cmd, parent ? this.canonicalSectionName(parent) : undefined);
      if (res === undefined) return undefined;
      if (typeof res !== 'string') return res;
      if (res === DECLINE_CMD) continue;
      return located(node, res);
    }
    return undefined;
  }
}

/** The cmd_parms of one handler call. */
class WalkCmd implements Cmd {
  readonly override: number;
  readonly path: string | undefined;
  readonly sections: ConfigSection[];
  readonly server: ServerRec;
  readonly dirConfigs: ConfigSet;
  readonly state: WalkState;

  constructor(
    readonly node: ConfigNode,
    readonly entry: DirectiveEntry,
    private readonly frame: Frame,
    private readonly walker: Walker,
  ) {
    this.override = frame.override;
    this.path = frame.path;
    this.sections = frame.sections;
    this.server = frame.server;
    this.dirConfigs = frame.dirConfigs;
    this.state = walker.state;
  }

  serverConfig<S>(m: ModuleDef<S, unknown>): S {
    const set = this.frame.server.configs;
    let v = set.get(m);
    if (v === undefined) {
      v = m.createServerConfig?.() ?? {};
      set.set(m, v);
    }
    return v as S;
  }

  dirConfig<D>(m: ModuleDef<unknown, D>): D {
    const set = this.frame.dirConfigs;
    let v = set.get(m);
    if (v === undefined) {
      v = m.createDirConfig?.() ?? {};
      set.set(m, v);
    }
    return v as D;
  }

  checkContext(forbidden: number): string | undefined {
    return checkContext(this, forbidden);
  }

  walk(children: ConfigNode[], ctx: { override: number; path?: string; server?: ServerRec; dirConfigs?: ConfigSet }): ConfigError | undefined {
    const frame = this.frame;
    const node = this.node;
    const inner: Frame = {
      override: ctx.override,
      path: ctx.path ?? frame.path,
      sections: node.kind === 'section' ? [...frame.sections, node] : frame.sections,
      server: ctx.server ?? frame.server,
      dirConfigs: ctx.dirConfigs ?? frame.dirConfigs,
    };
    return this.walker.walk(children, inner);
  }

  warn(d: Omit<Diagnostic, 'loc'> & { loc?: Loc }): void {
    this.walker.state.diagnostics.push({ ...d, loc: d.loc ?? this.node.loc } as Diagnostic);
  }
}

/**
 * Walk a read configuration and run every directive's handler, as httpd's
 * ap_process_config_tree does. Stops at the first error, like httpd.
 */
export function walkConfig(tree: ConfigTree, registry: Registry): { error?: ConfigError; state: WalkState } {
  const diagnostics: Diagnostic[] = [];
  const state: WalkState = {
    tree,
    registry,
    mainServer: newServer(),
    vhosts: [],
    diagnostics,
    global: new Map(),
    newDirConfigs: () => new Map(),
    newServer: (section) => newServer(section),
  };
  const walker = new Walker(state, registry);
  const top: Frame = {
    // httpd: (RSRC_CONF | OR_ALL) & ~(OR_AUTHCFG | OR_LIMIT): FileInfo, Options and Indexes
    // directives (RewriteRule, Header, …) are allowed at server level and in <VirtualHost>.
    override: (RSRC_CONF | OR_ALL) & ~(OR_AUTHCFG | OR_LIMIT),
    sections: [],
    server: state.mainServer,
    dirConfigs: state.mainServer.dirConfigs,
  };
  const error = walker.walk(tree.nodes, top);
  return { error, state };
}

function located(node: ConfigNode, message: string, hint?: string): ConfigError {
  const err: ConfigError = { phase: 'walk', message, loc: locOf(node), includedFrom: node.includedFrom };
  if (hint) err.hint = hint;
  return err;
}

function canonicalSectionName(section: ConfigSection, registry: Registry): string {
  const found = registry.lookup(`<${section.name.toLowerCase()}`)[0];
  return found ? found.entry.name : `<${section.name}`;
}

function didYouMean(name: string, registry: Registry, loaded: Set<string>): string | undefined {
  const names: string[] = [];
  for (const m of registry.modules) {
    for (const e of m.directives) names.push(e.name);
  }
  const best = suggest(name, names);
  if (!best) return undefined;
  const owner = registry.lookup(best.toLowerCase())[0];
  const needsLoad = owner && !(loaded.has(owner.module.id) || owner.module.builtin);
  return `did you mean '${best}'${needsLoad ? ` (from ${owner.module.id})` : ''}?`;
}

export { ACCESS_CONF };
