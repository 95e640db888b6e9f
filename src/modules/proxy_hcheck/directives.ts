/** mod_proxy_hcheck's command table: ProxyHCExpr, ProxyHCTemplate, ProxyHCTPsize. */
import type { Cmd, DirectiveEntry } from '../../directives/types.js';
import { GLOBAL_ONLY, OR_FILEINFO, RSRC_CONF } from '../../directives/types.js';
import { atoi, getwordConf, getwordConf2 } from '../proxy/cstr.js';
import type { HcTemplate } from './config.js';
import { hcheckConf } from './config.js';
import { validateExpr } from './expr.js';
import { setHcParam } from './params.js';

/** PROXY_WORKER_MAX_SCHEME_SIZE - 1 */
const MAX_EXPR_NAME = 15;

/** set_hc_condition: ProxyHCExpr name {expression} */
function setHcCondition(cmd: Cmd, _args: string[], raw: string): string | undefined {
  const ctx = hcheckConf(cmd);
  const { word: name, rest } = getwordConf(raw);
  if (!name) return `Missing expression name for ${cmd.entry.name}`;
  if (name.length > MAX_EXPR_NAME) return `Expression name limited to ${MAX_EXPR_NAME} characters`;
  const { word: expr, rest: after } = getwordConf2(rest);
  if (!expr) return `Missing expression for ${cmd.entry.name}`;
  const err = validateExpr(expr, { hcheck: true });
  if (err) return `Could not parse expression "${expr}": ${err}`;
  ctx.conditions.set(name.toLowerCase(), { name, expr, loc: cmd.node.loc });
  if (getwordConf(after).word) return 'error: extra parameter(s)';
  return undefined;
}

/** set_hc_template: ProxyHCTemplate name key=value … */
function setHcTemplate(cmd: Cmd, _args: string[], raw: string): string | undefined {
  const ctx = hcheckConf(cmd);
  let { word: name, rest } = getwordConf(raw);
  if (!name) return `Missing template name for ${cmd.entry.name}`;
  // httpd starts a template with method TCP (enum value 1), one pass, one fail, 30 s.
  const t: HcTemplate = { name, method: 'TCP', interval: 30_000_000, passes: 1, fails: 1, loc: cmd.node.loc };
  while (rest) {
    const next = getwordConf(rest);
    rest = next.rest;
    const eq = next.word.indexOf('=');
    if (eq < 0) return "Invalid ProxyHCTemplate parameter. Parameter must be in the form 'key=value'";
    const key = next.word.slice(0, eq);
    const val = next.word.slice(eq + 1);
    const err = setHcParam(ctx, t, key, val);
    if (err) return `ProxyHCTemplate: ${err} ${key}=${val}; ${name}`;
  }
  ctx.templates.push(t);
  return undefined;
}

function setHcTpsize(cmd: Cmd, args: string[]): string | undefined {
  const err = cmd.checkContext(GLOBAL_ONLY);
  if (err) return err;
  const n = atoi(args[0]);
  if (n < 0) return 'Invalid ProxyHCTPsize parameter. Parameter must be >= 0';
  hcheckConf(cmd).threadPoolSize = n;
  return undefined;
}

export const hcheckDirectives: DirectiveEntry[] = [
  {
    name: 'ProxyHCTemplate', args: 'RAW_ARGS', contexts: OR_FILEINFO, support: 'yes', handler: setHcTemplate,
    help: 'Health check template',
  },
  {
    name: 'ProxyHCExpr', args: 'RAW_ARGS', contexts: OR_FILEINFO, support: 'yes', handler: setHcCondition,
    help: 'Define a health check condition ruleset expression',
  },
  {
    name: 'ProxyHCTPsize', args: 'TAKE1', contexts: RSRC_CONF, support: 'ignored', handler: setHcTpsize,
    help: 'Set size of health check thread pool',
    note: 'health checks run on the event loop; there is no thread pool to size',
  },
];
