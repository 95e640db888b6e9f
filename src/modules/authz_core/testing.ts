import type { ConfigNode, ConfigSection, ConfigTree } from '../../config/ast.js';
import { createRegistry } from '../../directives/registry.js';
import type { Cmd, ConfigSet, DirectiveEntry, ModuleDef, WalkState } from '../../directives/types.js';
import { coreSections, type CoreSection } from '../core/config.js';
import { ACCESS_CONF, OR_ALL, RSRC_CONF } from '../../directives/types.js';
import { walkConfig } from '../../directives/walk.js';
import { allModules } from '../index.js';
import { allWords } from './words.js';

/**
 * Build a configuration tree from config text without the config reader (for handler tests):
 * one directive per line, `<Name args>` … `</Name>` sections, no includes or variables.
 */
export function treeFromText(text: string, loadedModules: string[], file = '/test/httpd.conf'): ConfigTree {
  const root: ConfigNode[] = [];
  const stack: { section?: ConfigSection; nodes: ConfigNode[] }[] = [{ nodes: root }];
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    const loc = { file, line: i + 1, column: line.indexOf(t[0]) + 1 };
    if (t.startsWith('</')) {
      const top = stack.pop();
      if (top?.section) top.section.endLoc = loc;
      return;
    }
    const m = /^(<?[^\s>]+)\s*(.*)$/.exec(t);
    if (!m) return;
    const cur = stack[stack.length - 1].nodes;
    if (m[1].startsWith('<')) {
      const rawArgs = m[2];
      const closed = rawArgs.endsWith('>') || t.endsWith('>');
      const inner = rawArgs.slice(0, rawArgs.lastIndexOf('>') >= 0 ? rawArgs.lastIndexOf('>') : rawArgs.length);
      const name = m[1].slice(1).replace(/>$/, '');
      const section: ConfigSection = {
        kind: 'section',
        name,
        args: allWords(inner),
        rawArgs: m[1].endsWith('>') ? '>' : rawArgs,
        closed,
        loc,
        endLoc: loc,
        includedFrom: [],
        children: [],
      };
      cur.push(section);
      stack.push({ section, nodes: section.children });
    } else {
      cur.push({ kind: 'directive', name: m[1], args: allWords(m[2]), rawArgs: m[2], loc, includedFrom: [] });
    }
  });
  return {
    mainFile: file,
    serverRoot: '/test',
    nodes: root,
    files: [file],
    defines: [],
    variables: new Map(),
    loadedModules,
  };
}

/** Walk config text with the given modules loaded; returns the first error message and the state. */
export function walkText(text: string, loadedModules: string[], serverRoot?: string) {
  const tree = treeFromText(text, loadedModules);
  if (serverRoot) tree.serverRoot = serverRoot;
  sectionConfigs.length = 0;
  const res = walkConfig(tree, testRegistry);
  const sections = sectionConfigs.length > 0 ? [...sectionConfigs] : coreSectionConfigs(res.state);
  return { error: res.error?.message, line: res.error?.loc?.line, state: res.state, sections };
}

/** The per-directory config sets of core's sections (main server, then vhosts), nested ones after their parent. */
function coreSectionConfigs(state: WalkState): { section?: ConfigSection; dirConfigs: ConfigSet }[] {
  const out: { dirConfigs: ConfigSet }[] = [];
  const visit = (list: CoreSection[]) => {
    for (const s of list) {
      out.push({ dirConfigs: s.dirConfigs });
      visit(s.nested);
    }
  };
  for (const server of [state.mainServer, ...state.vhosts]) visit(coreSections(server));
  return out;
}

/** Per-directory config sets made by the stand-in containers during the last walkText. */
const sectionConfigs: { section: ConfigSection; dirConfigs: ConfigSet }[] = [];

function container(name: string, kind: 'dir' | 'vhost' | 'limit'): DirectiveEntry {
  return {
    name,
    args: 'RAW_ARGS',
    contexts: kind === 'limit' ? OR_ALL : RSRC_CONF,
    help: '',
    support: 'yes',
    handler(cmd: Cmd) {
      const node = cmd.node as ConfigSection;
      if (kind === 'vhost') {
        const server = cmd.state.newServer(node);
        cmd.state.vhosts.push(server);
        return cmd.walk(node.children, { override: RSRC_CONF, server, dirConfigs: server.dirConfigs });
      }
      if (kind === 'limit') return cmd.walk(node.children, { override: cmd.override });
      const dirConfigs = cmd.state.newDirConfigs();
      sectionConfigs.push({ section: node, dirConfigs });
      return cmd.walk(node.children, { override: ACCESS_CONF | OR_ALL, path: node.args[0] ?? '', dirConfigs });
    },
  };
}

/**
 * Stand-ins for core's containers, consulted only when the core module does not declare them
 * (core comes first in the registry).
 */
const testContainers: ModuleDef = {
  id: 'test_containers',
  file: 'test_containers.c',
  builtin: true,
  directives: [
    container('<Location', 'dir'),
    container('<Directory', 'dir'),
    container('<Proxy', 'dir'),
    container('<VirtualHost', 'vhost'),
    container('<Limit', 'limit'),
    container('<LimitExcept', 'limit'),
  ],
};

const testRegistry = createRegistry([...allModules, testContainers]);
