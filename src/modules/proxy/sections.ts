/** <Proxy> and <ProxyMatch> (httpd's proxysection). */
import type { ConfigSection } from '../../config/ast.js';
import type { Cmd } from '../../directives/types.js';
import { ACCESS_CONF, NOT_IN_DIR_CONTEXT, OR_ALL } from '../../directives/types.js';
import type { ConfigError } from '../../util/diagnostics.js';
import { defineBalancer, findBalancer, isBalancerUrl } from './balancer.js';
import type { BalancerDef, ProxySection, WorkerDef } from './config.js';
import { serverConf } from './config.js';
import { fnmatchTest } from './cstr.js';
import { applyParamWords } from './params.js';
import { compileRegex, groupNames } from './regex.js';
import { defineWorker, deSocketfy, findWorker } from './worker.js';

function proxySection(cmd: Cmd, isMatch: boolean): string | ConfigError | undefined {
  const name = isMatch ? '<ProxyMatch' : '<Proxy';
  const err = cmd.checkContext(NOT_IN_DIR_CONTEXT);
  if (err) return err;
  const node = cmd.node as ConfigSection;
  if (!node.closed) return `${name}> directive missing closing '>'`;
  const conf = serverConf(cmd);
  let path = node.args[0] ?? '';
  const extra = node.args.slice(1);
  if (path.slice(0, 6).toLowerCase() === 'proxy:') path = path.slice(6);
  let regex: RegExp | undefined;
  if (isMatch) {
    regex = compileRegex(path);
    if (!regex) return 'Regex could not be compiled';
  }
  const dirConfigs = cmd.state.newDirConfigs();
  const walkErr = cmd.walk(node.children, { override: ACCESS_CONF | OR_ALL, path, dirConfigs });
  if (walkErr) return walkErr;
  const section: ProxySection = {
    kind: isMatch ? 'proxymatch' : 'proxy',
    pattern: path,
    isWildcard: fnmatchTest(path),
    regex,
    matchNames: isMatch ? groupNames(path) : [],
    dirConfigs,
    loc: node.loc,
  };
  conf.sections.push(section);
  if (extra.length === 0) return undefined;

  if (isMatch) return 'Multiple <ProxyMatch> arguments not (yet) supported.';
  if (section.isWildcard) return `${name}> arguments are not supported for wildchar url.`;
  if (!path.includes(':')) return `${name}> arguments are not supported for non url.`;
  let balancer: BalancerDef | undefined;
  let worker: WorkerDef | undefined;
  if (isBalancerUrl(path)) {
    balancer = findBalancer(conf, path);
    if (!balancer) {
      const b = defineBalancer(conf, path, '/', node.loc);
      if (typeof b === 'string') return `${name} ${b}`;
      balancer = b;
    }
  } else {
    const real = deSocketfy(path);
    if (real === undefined) return '<Proxy/ProxyMatch > uses an invalid "unix:" URL';
    worker = findWorker(conf.workers, real, 'prefix');
    if (!worker) {
      const w = defineWorker(path, false, node.loc);
      if (typeof w === 'string') return `${name} ${w}`;
      conf.workers.push(w);
      worker = w;
    }
  }
  return applyParamWords(
    cmd,
    worker ? { worker } : { balancer: balancer as BalancerDef },
    extra,
    "Invalid Proxy parameter. Parameter must be in the form 'key=value'",
    (err, key, val) => `${name} ${err} ${key}=${val}; ${path}`,
  );
}

export function proxySectionHandler(cmd: Cmd): string | ConfigError | undefined {
  return proxySection(cmd, false);
}

export function proxyMatchSectionHandler(cmd: Cmd): string | ConfigError | undefined {
  return proxySection(cmd, true);
}
