import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigNode, ConfigTree, Loc } from '../config/ast.js';
import type { Registry, WalkState } from '../directives/types.js';
import { coreServer, DEFAULT_PIDLOG } from '../modules/core/config.js';

/**
 * The `-D DUMP_*` listings other than the vhost table, in httpd's formats (all on stdout):
 * DUMP_RUN_CFG (core.c core_dump_config, mod_unixd's unixd_dump_config), DUMP_MODULES (mod_so's
 * dump_loaded_modules), DUMP_INCLUDES (core.c include_config).
 */

/** httpd's compiled-in defaults, relative to ServerRoot. */
const DEFAULT_ERRORLOG = 'logs/error_log';
const DEFAULT_DOCROOT = 'htdocs';
const DEFAULT_REL_RUNTIMEDIR = 'logs';

/** Mutexes modules register (ap_mutex_register), listed as `using_defaults`. */
const MODULE_MUTEXES: Record<string, string[]> = {
  watchdog_module: ['watchdog-callback'],
  proxy_module: ['proxy'],
  proxy_balancer_module: ['proxy-balancer-shm'],
  rewrite_module: ['rewrite-map'],
  ssl_module: ['ssl-cache', 'ssl-stapling', 'ssl-stapling-refresh'],
  mpm_prefork_module: ['mpm-accept'],
  mpm_worker_module: ['mpm-accept'],
};

function rootRelative(serverRoot: string, p: string): string {
  return isAbsolute(p) ? p : resolve(serverRoot, p);
}

/** The last top-level (main server) directive with this name, if any. */
function lastTopLevel(nodes: ConfigNode[], name: string): string[] | undefined {
  const lower = name.toLowerCase();
  let found: string[] | undefined;
  for (const n of nodes) if (n.kind === 'directive' && n.name.toLowerCase() === lower) found = n.args;
  return found;
}

function lookupId(file: string, name: string): number | undefined {
  try {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name && f[2] !== undefined) return Number(f[2]);
    }
  } catch {
    // no such database: unknown name
  }
  return undefined;
}

function idText(name: string | undefined, db: string): { name: string; id: number } {
  if (name === undefined) return { name: '#-1', id: 4294967295 };
  if (name.startsWith('#')) {
    const n = Number(name.slice(1));
    return { name, id: Number.isInteger(n) ? n >>> 0 : 4294967295 };
  }
  return { name, id: lookupId(db, name) ?? 4294967295 };
}

/** The `ServerRoot:` … `Group:` block. */
export function runConfigText(state: WalkState, tree: ConfigTree): string {
  const root = tree.serverRoot;
  const core = coreServer(state.mainServer);
  const runtimeDir = tree.runtimeDir ?? rootRelative(root, DEFAULT_REL_RUNTIMEDIR);
  const lines: string[] = [];
  lines.push(`ServerRoot: "${root}"`);
  lines.push(`Main DocumentRoot: "${rootRelative(root, core.documentRoot ?? DEFAULT_DOCROOT)}"`);
  const errorLog = core.errorLog ?? DEFAULT_ERRORLOG;
  const piped = errorLog.startsWith('|') || /^syslog(:|$)/i.test(errorLog);
  lines.push(`Main ErrorLog: "${piped ? errorLog : rootRelative(root, errorLog)}"`);
  const mutexes: string[] = [];
  for (const id of tree.loadedModules) for (const m of MODULE_MUTEXES[id] ?? []) if (!mutexes.includes(m)) mutexes.push(m);
  for (const m of mutexes) lines.push(`Mutex ${m}: using_defaults`);
  lines.push(`Mutex default: dir="${runtimeDir.endsWith('/') ? runtimeDir : runtimeDir + '/'}" mechanism=default `);
  lines.push(`PidFile: "${rootRelative(root, core.pidFile ?? DEFAULT_PIDLOG)}"`);
  for (const name of tree.defines) {
    const value = tree.variables.get(name);
    lines.push(value !== undefined ? `Define: ${name}=${value}` : `Define: ${name}`);
  }
  const notUsed = typeof process.geteuid === 'function' && process.geteuid() !== 0 ? ' not_used' : '';
  const user = idText(lastTopLevel(tree.nodes, 'User')?.[0], '/etc/passwd');
  const group = idText(lastTopLevel(tree.nodes, 'Group')?.[0], '/etc/group');
  lines.push(`User: name="${user.name}" id=${user.id}${notUsed}`);
  lines.push(`Group: name="${group.name}" id=${group.id}${notUsed}`);
  return lines.join('\n') + '\n';
}

/** `Loaded Modules:` with built-ins as `(static)` and LoadModule'd ones as `(shared)`. */
export function modulesText(tree: ConfigTree, registry: Registry): string {
  const lines = ['Loaded Modules:'];
  for (const id of tree.loadedModules) {
    const m = registry.moduleById(id);
    lines.push(` ${id} (${m?.builtin ? 'static' : 'shared'})`);
  }
  return lines.join('\n') + '\n';
}

/** One included file as `-t -D DUMP_INCLUDES` shows it. */
export interface IncludeRecord {
  file: string;
  /** The number httpd prints: the line of the most recently executed Include when the file was opened. */
  line: number;
  /** Nesting depth (1 = included by the main file). */
  depth: number;
}

/**
 * Each included file in reading order with the Include directives that led to it, from the
 * reader's record when the tree carries one, else worked out from the `includedFrom` chains of
 * the nodes (a file that contributed no directive is then missing).
 */
function includeChains(tree: ConfigTree): { file: string; includedFrom: Loc[] }[] {
  if (tree.includes) return tree.includes.filter((r) => r.includedFrom.length > 0);
  const byFile = new Map<string, Loc[]>();
  const visit = (nodes: ConfigNode[]) => {
    for (const n of nodes) {
      if (n.includedFrom.length && !byFile.has(n.loc.file)) byFile.set(n.loc.file, n.includedFrom);
      if (n.kind === 'section') visit(n.children);
    }
  };
  visit(tree.nodes);
  const out: { file: string; includedFrom: Loc[] }[] = [];
  for (const f of tree.files) {
    const from = byFile.get(f);
    if (f !== tree.mainFile && from) out.push({ file: f, includedFrom: from });
  }
  return out;
}

/**
 * The include tree as httpd prints it. httpd shows, for each file, the line of the Include
 * executed last before the file was opened, which for the second file of a wildcard is the
 * last Include inside the first one (observed with 2.4.71).
 */
export function includeRecords(tree: ConfigTree): IncludeRecord[] {
  const seen = new Set<string>();
  let last = 0;
  return includeChains(tree).map(({ file, includedFrom }) => {
    for (const loc of includedFrom) {
      const key = `${loc.file}:${loc.line}:${loc.column}`;
      if (!seen.has(key)) {
        seen.add(key);
        last = loc.line;
      }
    }
    return { file, line: last, depth: includedFrom.length };
  });
}

/** `Included configuration files:` with the main file as `(*)` and each include as `(line)`, indented by depth. */
export function includesText(tree: ConfigTree): string {
  const lines = ['Included configuration files:', `  (*) ${tree.mainFile}`];
  for (const r of includeRecords(tree)) lines.push(`${' '.repeat((r.depth + 1) * 2)}(${r.line}) ${r.file}`);
  return lines.join('\n') + '\n';
}
