/**
 * ProxyPass, ProxyPassMatch (httpd's add_pass), ProxyPassReverse (add_pass_reverse) and the
 * cookie maps (cookie_path, cookie_domain).
 */
import type { Cmd } from '../../directives/types.js';
import { NOT_IN_DIRECTORY, NOT_IN_FILES } from '../../directives/types.js';
import { defineBalancer, findBalancer, isBalancerUrl, updateBalancer } from './balancer.js';
import type { ParamWord, PassFlags, PassRule, ProxyServerConfig, WorkerDef } from './config.js';
import { dirConf, serverConf } from './config.js';
import { fnmatchTest } from './cstr.js';
import { markWorkerParam, setBalancerParam, setWorkerParam } from './params.js';
import { compileRegex } from './regex.js';
import { defineWorker, deSocketfy, findWorker } from './worker.js';

/**
 * `key=value` added to an apr_table with apr_table_setn semantics (first key kept, last value
 * wins). Returns the new list, made at its exact length (lists are short, and a list grown by
 * push keeps spare room; a ProxyPass line makes one).
 */
export function setParam(params: readonly ParamWord[], key: string, value: string): ParamWord[] {
  const lower = key.toLowerCase();
  let i = 0;
  while (i < params.length && params[i].key.toLowerCase() !== lower) i++;
  if (i === params.length) {
    const out = new Array<ParamWord>(params.length + 1);
    for (let j = 0; j < params.length; j++) out[j] = params[j];
    out[params.length] = { key, value };
    return out;
  }
  const out = params.filter((p, j) => j <= i || p.key.toLowerCase() !== lower);
  out[i] = { key: params[i].key, value };
  return out;
}

/** Copy the server's ProxyTimeout / buffer sizes into a new worker (PROXY_COPY_CONF_PARAMS). */
export function copyServerParams(w: WorkerDef, conf: ProxyServerConfig): void {
  if (conf.timeout === undefined && conf.ioBufferSize === undefined && conf.receiveBufferSize === undefined) return;
  const from = { ...w.fromServer };
  if (conf.timeout !== undefined) from.timeout = conf.timeout;
  if (conf.ioBufferSize !== undefined) from.ioBufferSize = conf.ioBufferSize;
  if (conf.receiveBufferSize !== undefined) from.receiveBufferSize = conf.receiveBufferSize;
  w.fromServer = from;
}

/** Apply parameters to a worker, or warn that they are ignored because the worker is shared. */
export function applyWorkerParams(
  cmd: Cmd,
  worker: WorkerDef,
  reused: boolean,
  params: ParamWord[],
  prefix: string,
  code: 'AH01146' | 'AH01150',
): string | undefined {
  if (reused) {
    worker.sharedBy = worker.sharedBy.concat({ loc: cmd.node.loc, url: cmd.node.args.join(' '), directive: cmd.entry.name, ignored: params });
  }
  for (let i = 0; i < params.length; i++) {
    const { key, value } = params[i];
    if (reused) {
      cmd.warn({
        severity: 'warning',
        rule: 'httpd',
        code,
        message: `Ignoring parameter '${key}=${value}' for worker '${worker.displayName}' because of worker sharing`,
      });
      continue;
    }
    const err = setWorkerParam(cmd, worker.params, key, value);
    if (err) return `${prefix}${err}`;
    markWorkerParam(worker, key);
  }
  return undefined;
}

/** The kind of the innermost enclosing section, e.g. `Location`, `LocationMatch`, `Proxy`. */
function sectionName(cmd: Cmd): string | undefined {
  return cmd.sections[cmd.sections.length - 1]?.name;
}

const flagSets: Readonly<PassFlags>[] = [];
const MAPPINGS = [undefined, 'encoded', 'servlet'] as const;

/** One frozen record per combination of flags, shared by the rules that have it. */
function sharedFlags(flags: PassFlags): Readonly<PassFlags> {
  const key = (+flags.nocanon) | (+flags.interpolate << 1) | (+flags.noquery << 2) | (MAPPINGS.indexOf(flags.mapping) << 3);
  return (flagSets[key] ??= Object.freeze({ ...flags }));
}

function addPass(cmd: Cmd, args: string[], isRegex: boolean): string | undefined {
  const err = cmd.checkContext(NOT_IN_DIRECTORY | NOT_IN_FILES);
  if (err) return err;
  const conf = serverConf(cmd);
  let f = cmd.path;
  let r: string | undefined;
  let match = isRegex;
  const flags: PassFlags = { nocanon: false, interpolate: false, noquery: false };
  let params: ParamWord[] = [];
  let lower: string;
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (f === undefined) {
      if (word === '~') {
        if (isRegex) return "ProxyPassMatch invalid syntax ('~' usage).";
        match = true;
        continue;
      }
      f = word;
    } else if (r === undefined) {
      r = word;
    } else if ((lower = word.toLowerCase()) === 'nocanon') {
      flags.nocanon = true;
    } else if (lower === 'interpolate') {
      flags.interpolate = true;
    } else if (lower === 'noquery') {
      flags.noquery = true;
    } else {
      const eq = word.indexOf('=');
      if (eq < 0) {
        if (cmd.path !== undefined && r.startsWith('/')) return 'ProxyPass|ProxyPassMatch can not have a path when defined in a location.';
        return "Invalid ProxyPass|ProxyPassMatch parameter. Parameter must be in the form 'key=value'.";
      }
      const key = word.slice(0, eq);
      const val = word.slice(eq + 1);
      if (key.toLowerCase() === 'mapping') {
        if (val.toLowerCase() === 'encoded') flags.mapping = 'encoded';
        else if (val.toLowerCase() === 'servlet') flags.mapping = 'servlet';
        else return 'unknown mapping';
      } else {
        params = setParam(params, key, val);
      }
    }
  }
  const shared = sharedFlags(flags);
  if (flags.mapping === 'encoded') conf.mapEncodedOne = true;
  else conf.mapEncodedAll = false;
  if (r === undefined || f === undefined) return 'ProxyPass|ProxyPassMatch needs a path when not defined in a location';
  const real = deSocketfy(r);
  if (real === undefined) return 'ProxyPass|ProxyPassMatch uses an invalid "unix:" URL';

  if (cmd.path !== undefined && fnmatchTest(f)) match = true;
  let regex: RegExp | undefined;
  if (match) {
    regex = compileRegex(f);
    if (!regex) return 'Regular expression could not be compiled.';
  }
  const kind = match ? 'regex' : 'prefix';
  const directive = isRegex ? 'ProxyPassMatch' : 'ProxyPass';
  const section = cmd.path !== undefined ? sectionName(cmd) : undefined;
  const loc = cmd.node.loc;

  if (r === '!' || isBalancerUrl(r)) {
    const rule: PassRule = { kind, path: f, url: real, rawUrl: r, flags: shared, directive, section, loc };
    if (match) rule.regex = regex;
    placeRule(cmd, conf, rule);
    if (r === '!') return undefined;
    const fake = match ? undefined : f;
    let balancer = findBalancer(conf, r);
    if (!balancer) {
      const b = defineBalancer(conf, r, fake, cmd.node.loc);
      if (typeof b === 'string') return `ProxyPass ${b}`;
      balancer = b;
    } else {
      updateBalancer(balancer, fake);
    }
    for (const { key, value } of params) {
      const e = setBalancerParam(cmd, balancer.params, key, value);
      if (e) return `ProxyPass ${e}`;
    }
    rule.balancer = balancer;
    return undefined;
  }

  // The worker is looked up (or defined) before the rule is placed so that the rule is made
  // with it, in one object; placing the rule does not touch the worker list.
  let worker = findWorker(conf.workers, real, match ? 'match' : 'prefix');
  const reused = worker !== undefined;
  if (!worker) {
    const w = defineWorker(r, match, cmd.node.loc);
    if (typeof w === 'string') {
      const rule: PassRule = { kind, path: f, url: real, rawUrl: r, flags: shared, directive, section, loc };
      if (match) rule.regex = regex;
      placeRule(cmd, conf, rule);
      return `ProxyPass ${w}`;
    }
    conf.workers.push(w);
    copyServerParams(w, conf);
    worker = w;
  }
  const rule: PassRule = match
    ? { kind, path: f, url: real, rawUrl: r, flags: shared, directive, section, loc, regex, worker }
    : { kind, path: f, url: real, rawUrl: r, flags: shared, directive, section, loc, worker };
  placeRule(cmd, conf, rule);
  return applyWorkerParams(cmd, worker, reused, params, 'ProxyPass ', 'AH01146');
}

/** A ProxyPass rule goes to the section it is in (its one rule) or to the server's list. */
function placeRule(cmd: Cmd, conf: ProxyServerConfig, rule: PassRule): void {
  if (cmd.path !== undefined) dirConf(cmd).alias = rule;
  else conf.aliases.push(rule);
}

export function proxyPassHandler(cmd: Cmd, args: string[]): string | undefined {
  return addPass(cmd, args, false);
}

export function proxyPassMatchHandler(cmd: Cmd, args: string[]): string | undefined {
  return addPass(cmd, args, true);
}

/** ProxyPassReverse [path] url [interpolate]. */
export function proxyPassReverseHandler(cmd: Cmd, args: string[]): string | undefined {
  const err = cmd.checkContext(NOT_IN_DIRECTORY | NOT_IN_FILES);
  if (err) return err;
  const [f, r, i] = args;
  let path: string;
  let url: string;
  let interp: string | undefined;
  if (cmd.path === undefined) {
    if (r === undefined || r.toLowerCase() === 'interpolate') return 'ProxyPassReverse needs a path when not defined in a location';
    path = f;
    url = r;
    interp = i;
  } else {
    if (r !== undefined && r.toLowerCase() !== 'interpolate') return 'ProxyPassReverse can not have a path when defined in a location';
    path = cmd.path;
    url = f;
    interp = r;
  }
  dirConf(cmd).reverse.push({ path, url, interpolate: interp !== undefined, loc: cmd.node.loc });
  return undefined;
}

export function cookiePathHandler(cmd: Cmd, args: string[]): string | undefined {
  dirConf(cmd).cookiePaths.push({ path: args[0], url: args[1], interpolate: args[2] !== undefined, loc: cmd.node.loc });
  return undefined;
}

export function cookieDomainHandler(cmd: Cmd, args: string[]): string | undefined {
  dirConf(cmd).cookieDomains.push({ path: args[0], url: args[1], interpolate: args[2] !== undefined, loc: cmd.node.loc });
  return undefined;
}
