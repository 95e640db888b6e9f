/** BalancerMember (httpd's add_member) and ProxySet (set_proxy_param). */
import type { Cmd } from '../../directives/types.js';
import { defineBalancer, findBalancer, isBalancerUrl } from './balancer.js';
import type { BalancerDef, ParamWord, WorkerDef } from './config.js';
import { serverConf } from './config.js';
import { applyParamWords } from './params.js';
import { applyWorkerParams, copyServerParams, setParam } from './pass.js';
import { defineWorker, deSocketfy, findWorker } from './worker.js';

export function balancerMemberHandler(cmd: Cmd, args: string[]): string | undefined {
  const conf = serverConf(cmd);
  let path = cmd.path;
  let name: string | undefined;
  let params: ParamWord[] = [];
  for (const word of args) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      if (path === undefined) path = word;
      else if (name === undefined) name = word;
      else if (cmd.path !== undefined) return 'BalancerMember can not have a balancer name when defined in a location';
      else return "Invalid BalancerMember parameter. Parameter must be in the form 'key=value'";
    } else {
      params = setParam(params, word.slice(0, eq), word.slice(eq + 1));
    }
  }
  if (path === undefined) return 'BalancerMember must define balancer name when outside <Proxy > section';
  if (name === undefined) return 'BalancerMember must define remote proxy server';
  const real = deSocketfy(name);
  if (real === undefined) return 'BalancerMember uses an invalid "unix:" URL';
  path = path.toLowerCase();

  let balancer = findBalancer(conf, path);
  if (!balancer) {
    const b = defineBalancer(conf, path, '/', cmd.node.loc);
    if (typeof b === 'string') return `BalancerMember ${b}`;
    balancer = b;
  }
  let worker = findWorker(balancer.members, real, 'both');
  const reused = worker !== undefined;
  if (!worker) {
    const w = defineWorker(name, false, cmd.node.loc, balancer.name);
    if (typeof w === 'string') return `BalancerMember ${w}`;
    balancer.members.push(w);
    copyServerParams(w, conf);
    worker = w;
  }
  return applyWorkerParams(cmd, worker, reused, params, 'BalancerMember ', 'AH01150');
}

/** ProxySet [url] key=value …; inside <Proxy>/<ProxyMatch> the URL is the section's. */
export function proxySetHandler(cmd: Cmd, args: string[]): string | undefined {
  const conf = serverConf(cmd);
  const parent = cmd.sections[cmd.sections.length - 1];
  let words = args;
  let name: string;
  let match = false;
  let inSection = false;
  if (parent && parent.name.slice(0, 5).toLowerCase() === 'proxy') {
    name = (parent.args[0] ?? '').replace(/>.*$/, '');
    match = parent.name.slice(5, 10).toLowerCase() === 'match';
    inSection = true;
  } else {
    name = args[0] ?? '';
    words = args.slice(1);
  }
  let balancer: BalancerDef | undefined;
  let worker: WorkerDef | undefined;
  if (isBalancerUrl(name)) {
    balancer = findBalancer(conf, name);
    if (!balancer) {
      if (!inSection) return `ProxySet can not find '${name}' Balancer.`;
      const b = defineBalancer(conf, name, '/', cmd.node.loc);
      if (typeof b === 'string') return `ProxySet ${b}`;
      balancer = b;
    }
  } else {
    const real = deSocketfy(name);
    if (real === undefined) return 'ProxySet uses an invalid "unix:" URL';
    worker = findWorker(conf.workers, real, inSection ? (match ? 'match' : 'prefix') : 'both');
    if (!worker) {
      if (!inSection) return `ProxySet can not find '${name}' Worker.`;
      const w = defineWorker(name, match, cmd.node.loc);
      if (typeof w === 'string') return `ProxySet ${w}`;
      conf.workers.push(w);
      worker = w;
    }
  }
  return applyParamWords(
    cmd,
    worker ? { worker } : { balancer: balancer as BalancerDef },
    words,
    "Invalid ProxySet parameter. Parameter must be in the form 'key=value'",
    (err, key, val) => `ProxySet: ${err} ${key}=${val}; ${name}`,
  );
}
