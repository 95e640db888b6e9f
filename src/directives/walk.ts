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

/**
 * Walk a read configuration and run every directive's handler, as httpd's
 * ap_process_config_tree does. Stops at the first error, like httpd.
 */
export function walkConfig(tree: ConfigTree, registry: Registry): { error?: ConfigError; state: WalkState } {
  const loaded = new Set(tree.loadedModules);
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

  const walk = (nodes: ConfigNode[], frame: Frame): ConfigError | undefined => {
    for (const node of nodes) {
      const err = runNode(node, frame);
      if (err) return err;
    }
    return undefined;
  };

  const runNode = (node: ConfigNode, frame: Frame): ConfigError | undefined => {
    const lower = node.kind === 'section' ? `<${node.name.toLowerCase()}` : node.name.toLowerCase();
    const candidates = registry.lookup(lower).filter((c) => loaded.has(c.module.id) || c.module.builtin);
    if (candidates.length === 0) {
      const shown = node.kind === 'section' ? `<${node.name}` : node.name;
      const known = registry.lookup(lower);
      const hint = known.length
        ? `${shown} is provided by ${known[0].module.id}, which is not loaded: add \`LoadModule ${known[0].module.id} …\``
        : didYouMean(shown, registry, loaded);
      return located(
        node,
        `Invalid command '${shown}', perhaps misspelled or defined by a module not included in the server configuration`,
        hint,
      );
    }
    for (const { entry } of candidates) {
      const cmd = makeCmd(node, entry, frame);
      const parent = frame.sections[frame.sections.length - 1];
      const res = invoke(cmd, parent ? canonicalSectionName(parent, registry) : undefined);
      if (res === undefined) return undefined;
      if (typeof res !== 'string') return res;
      if (res === DECLINE_CMD) continue;
      return located(node, res);
    }
    return undefined;
  };

  const makeCmd = (node: ConfigNode, entry: DirectiveEntry, frame: Frame): Cmd => {
    const cmd: Cmd = {
      node,
      entry,
      override: frame.override,
      path: frame.path,
      sections: frame.sections,
      server: frame.server,
      dirConfigs: frame.dirConfigs,
      state,
      serverConfig<S>(m: ModuleDef<S, unknown>): S {
        return getOrCreate(frame.server.configs, m, () => m.createServerConfig?.()) as S;
      },
      dirConfig<D>(m: ModuleDef<unknown, D>): D {
        return getOrCreate(frame.dirConfigs, m, () => m.createDirConfig?.()) as D;
      },
      checkContext(forbidden: number) {
        return checkContext(cmd, forbidden);
      },
      walk(children, ctx) {
        const inner: Frame = {
          override: ctx.override,
          path: ctx.path ?? frame.path,
          sections: node.kind === 'section' ? [...frame.sections, node] : frame.sections,
          server: ctx.server ?? frame.server,
          dirConfigs: ctx.dirConfigs ?? frame.dirConfigs,
        };
        return walk(children, inner);
      },
      warn(d) {
        diagnostics.push({ ...d, loc: d.loc ?? node.loc } as Diagnostic);
      },
    };
    return cmd;
  };

  const top: Frame = {
    // httpd: (RSRC_CONF | OR_ALL) & ~(OR_AUTHCFG | OR_LIMIT): FileInfo, Options and Indexes
    // directives (RewriteRule, Header, …) are allowed at server level and in <VirtualHost>.
    override: (RSRC_CONF | OR_ALL) & ~(OR_AUTHCFG | OR_LIMIT),
    sections: [],
    server: state.mainServer,
    dirConfigs: state.mainServer.dirConfigs,
  };
  const error = walk(tree.nodes, top);
  return { error, state };
}

function getOrCreate(set: ConfigSet, m: ModuleDef, create: () => unknown): unknown {
  let v = set.get(m);
  if (v === undefined) {
    v = create() ?? {};
    set.set(m, v);
  }
  return v;
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
