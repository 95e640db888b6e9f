import type { ConfigNode, ConfigSection } from '../../config/ast.js';
import type { Cmd, ModuleDef, WalkState } from '../../directives/types.js';
import type { Diagnostic } from '../../util/diagnostics.js';
import { ACCESS_CONF, GLOBAL_ONLY, OR_AUTHCFG } from '../../directives/types.js';
import type { ConfigError } from '../../util/diagnostics.js';
import type { AuthzCoreDirConfig, AuthzCoreGlobal, AuthzNode, AuthzSection, RequireArgs } from './config.js';
import { describeAuthz } from './config.js';
import { methodLimit } from './limit.js';
import { isLoaded } from './loaded.js';
import { AUTHZ_PROVIDERS } from './providers.js';
import { getWordConf } from './words.js';

/** Global state of the alias definitions (created on first use). */
function authzGlobal(cmd: Cmd, m: ModuleDef): AuthzCoreGlobal {
  let g = cmd.state.global.get(m) as AuthzCoreGlobal | undefined;
  if (!g) {
    g = { aliases: new Map(), negativeOnly: [] };
    cmd.state.global.set(m, g);
  }
  return g;
}

/** Look a provider up and parse its arguments as httpd's add_authz_provider does. */
function lookupAndParse(cmd: Cmd, m: ModuleDef, name: string, args: string): { error: string } | { parsed: RequireArgs } {
  const alias = authzGlobal(cmd, m).aliases.get(name);
  if (alias) return { parsed: { provider: 'alias', alias: name, target: alias } };
  const def = AUTHZ_PROVIDERS.get(name);
  if (!def || !isLoaded(cmd, def.module)) return { error: `Unknown Authz provider: ${name}` };
  return def.parse(args, cmd);
}

function defaultSection(): AuthzSection {
  return { kind: 'section', op: 'or', negate: false, merged: false, children: [] };
}

/** `Require [not] provider args` (add_authz_provider). */
export function requireHandler(m: ModuleDef<unknown, AuthzCoreDirConfig>) {
  return (cmd: Cmd, _args: string[], raw: string): string | undefined => {
    const conf = cmd.dirConfig(m);
    let { word: name, rest } = getWordConf(raw);
    let negate = false;
    if (name.toLowerCase() === 'not') {
      ({ word: name, rest } = getWordConf(rest));
      negate = true;
    }
    const r = lookupAndParse(cmd, m as ModuleDef, name, rest);
    if ('error' in r) return r.error;
    const node: AuthzNode = { kind: 'require', provider: name, args: rest, parsed: r.parsed, negate, loc: cmd.node.loc };
    const limit = methodLimit(cmd);
    if (limit) node.limit = limit;
    const target = conf.current ?? (conf.section ??= defaultSection());
    if (negate && target.op === 'or') {
      return `negative ${cmd.entry.name} directive has no effect in ${describeAuthz(target)} directive`;
    }
    target.children.push(node);
    return undefined;
  };
}

/** `<RequireAll>`, `<RequireAny>`, `<RequireNone>` (add_authz_section). */
export function sectionHandler(m: ModuleDef<unknown, AuthzCoreDirConfig>) {
  return (cmd: Cmd, _args: string[], raw: string): string | ConfigError | undefined => {
    const node = cmd.node as ConfigSection;
    const name = cmd.entry.name;
    const end = raw.lastIndexOf('>');
    if (end < 0 || node.closed === false) return `${name}> directive missing closing '>'`;
    if (raw.slice(0, end).trim() !== '') return `${name}> directive doesn't take additional arguments`;
    const lower = name.toLowerCase();
    const section: AuthzSection = {
      kind: 'section',
      op: lower === '<requireall' ? 'and' : 'or',
      negate: lower === '<requirenone',
      merged: false,
      children: [],
      loc: node.loc,
    };
    const conf = cmd.dirConfig(m);
    const outer = conf.current;
    conf.current = section;
    const err = cmd.walk(node.children, { override: OR_AUTHCFG });
    conf.current = outer;
    if (err) return err;
    if (section.children.length === 0) return `${describeAuthz(section)} directive contains no authorization directives`;
    const parent = outer ?? (conf.section ??= defaultSection());
    if (section.negate && parent.op === 'or') {
      return `${describeAuthz(section)} directive has no effect in ${describeAuthz(parent)} directive`;
    }
    if (onlyNegative(section)) {
      // httpd finds this in its check_config hook, after the walk (authzCheckConfig).
      authzGlobal(cmd, m).negativeOnly.push({
        message: `${describeAuthz(section)} directive contains only negative authorization directives`,
        container: dirContainer(cmd),
        loc: node.loc,
      });
    }
    if (!section.negate && section.op === parent.op) parent.children.push(...section.children);
    else parent.children.push(section);
    return undefined;
  };
}

/** Sections that get their own per-directory configs (the `<VirtualHost>` one: the server's defaults). */
const DIR_CONTAINERS = /^(directory|location|files|proxy)(match)?$|^(if|elseif|else|virtualhost)$/i;

/** The section whose per-directory configs the current directive fills (undefined: the main server's). */
function dirContainer(cmd: Cmd): ConfigSection | undefined {
  for (let i = cmd.sections.length - 1; i >= 0; i--) {
    if (DIR_CONTAINERS.test(cmd.sections[i].name)) return cmd.sections[i];
  }
  return undefined;
}

/**
 * authz_core_check_config: the first section found with only negative Require lines. httpd
 * keeps its per-directory records newest first, so the last container of the configuration
 * with such a section is reported, and in it the first section closed.
 */
export function authzCheckConfig(state: WalkState, m: ModuleDef): Diagnostic | undefined {
  const found = (state.global.get(m) as AuthzCoreGlobal | undefined)?.negativeOnly ?? [];
  if (found.length === 0) return undefined;
  const order = new Map<ConfigSection, number>();
  const number = (nodes: ConfigNode[]) => {
    for (const n of nodes) {
      if (n.kind !== 'section') continue;
      order.set(n, order.size);
      number(n.children);
    }
  };
  number(state.tree.nodes);
  const rank = (c: ConfigSection | undefined) => (c ? order.get(c) ?? -1 : -1);
  let first = found[0];
  for (const f of found) if (rank(f.container) > rank(first.container)) first = f;
  return { severity: 'error', rule: 'httpd', code: 'AH01624', message: first.message, loc: first.loc };
}

/** authz_core_check_section: after De Morgan flattening, is every child negated? */
function onlyNegative(section: AuthzSection): boolean {
  const flat: boolean[] = [];
  for (const c of section.children) {
    if (c.kind === 'section' && c.negate && c.op !== section.op) {
      for (const g of c.children) flat.push(!g.negate);
    } else {
      flat.push(c.negate);
    }
  }
  return flat.every((neg) => neg);
}

/** `<AuthzProviderAlias provider alias [args]>` (authz_require_alias_section). */
export function aliasHandler(m: ModuleDef<unknown, AuthzCoreDirConfig>) {
  return (cmd: Cmd, _args: string[], raw: string): string | ConfigError | undefined => {
    const node = cmd.node as ConfigSection;
    const name = cmd.entry.name;
    const ctxErr = cmd.checkContext(GLOBAL_ONLY);
    if (ctxErr) return ctxErr;
    const end = raw.lastIndexOf('>');
    if (end < 0 || node.closed === false) return `${name}> directive missing closing '>'`;
    let rest = raw.slice(0, end);
    if (rest === '') return `${name}> directive requires additional arguments`;
    const words: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = getWordConf(rest);
      words.push(r.word);
      rest = r.rest;
    }
    const [provider, alias, args, extra] = words;
    if (!provider || !alias) return `${name}> directive requires additional arguments`;
    if (extra) {
      cmd.warn({
        severity: 'warning',
        rule: 'httpd',
        code: 'AH10142',
        message: `AH10142: When several arguments (${args} ${extra}...) are passed to a ${name} directive, they must be enclosed in quotation marks.  Otherwise, only the first one is taken into account`,
      });
    }
    const dirConfigs = cmd.state.newDirConfigs();
    const err = cmd.walk(node.children, { override: OR_AUTHCFG | ACCESS_CONF, dirConfigs });
    if (err) return err;
    const r = lookupAndParse(cmd, m as ModuleDef, provider, args);
    if ('error' in r) {
      if (r.error.startsWith('Unknown Authz provider')) return r.error;
      return `Can't parse 'Require ${provider} ${args}': ${r.error}`;
    }
    authzGlobal(cmd, m as ModuleDef).aliases.set(alias, { alias, provider, args, parsed: r.parsed, dirConfigs, loc: node.loc });
    return undefined;
  };
}
