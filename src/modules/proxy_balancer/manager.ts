/**
 * The balancer-manager handler (mod_proxy_balancer.c `balancer_handler`,
 * `balancer_display_page`, `balancer_process_balancer_worker`): a page per server listing its
 * balancers and members with live statistics, and forms that change them at run time. Changes
 * are taken only with the balancer's nonce and a Referer naming this server, as httpd does.
 */
import { serverBuilt, serverDescription } from '../../cli/version.js';
import type { CompiledConfig } from '../../runtime/compile/types.js';
import { escapeHtml } from '../../runtime/error-page.js';
import { httpError, type HttpError } from '../../runtime/http-error.js';
import { requestState } from '../../runtime/request.js';
import type { RequestContext } from '../../runtime/server.js';
import type { HcMethod, ProxyServerConfig, StatusFlag } from '../proxy/config.js';
import { defineWorker } from '../proxy/worker.js';
import { createWorkerPool, originOf } from '../proxy/runtime/pool.js';
import { workerSettings } from '../proxy/runtime.js';
import type { BalancerGlobal } from './runtime.js';
import { isUsable, nowUs, statusText, type BalancerState, type MemberState } from './state.js';

const HC_METHODS: HcMethod[] = ['NONE', 'TCP', 'OPTIONS', 'HEAD', 'GET', 'OPTIONS11', 'HEAD11', 'GET11'];

/** ap_unescape_url for form values (`+` is not a space there). */
function unescape(s: string): string {
  try {
    return decodeURIComponent(s.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return s;
  }
}

/** push2table: `a=b&c=d`, keys restricted to `allowed` when given; a later key replaces. */
export function parseParams(input: string | null, into: Map<string, string>, allowed?: string[]): void {
  if (!input) return;
  for (const part of input.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = unescape(eq < 0 ? part : part.slice(0, eq));
    const val = unescape(eq < 0 ? '' : part.slice(eq + 1));
    if (!allowed || allowed.includes(key)) into.set(key, val);
  }
}

/** ap_escape_uri (ap_os_escape_path without the leading slash rule). */
function escapeUri(s: string): string {
  return s.replace(/[^A-Za-z0-9$\-_.+!*'(),:@&=/~]/g, (c) => Buffer.from(c).toString('hex').toUpperCase().replace(/(..)/g, '%$1'));
}

const fmt2 = (n: number): string => (n / 100).toFixed(2);

/** apr_strfsize: ` 0 `, `1.2K`, `153 ` … */
export function strfsize(size: number): string {
  if (size < 0) return '  - ';
  if (size < 973) return `${String(size).padStart(3, ' ')} `;
  const units = 'KMGTPE';
  let remain = size;
  let i = 0;
  do {
    const rem = remain & 1023;
    remain = Math.floor(remain / 1024);
    if (remain >= 973) {
      i++;
      continue;
    }
    if (remain < 9 || (remain === 9 && rem < 973)) {
      let r = Math.floor((rem * 10 + 512) / 1024);
      let whole = remain;
      if (r >= 10) {
        whole++;
        r = 0;
      }
      return `${whole}.${r}${units[i]}`;
    }
    let whole = remain;
    if (rem >= 512) whole++;
    return `${String(whole).padStart(3, ' ')}${units[i]}`;
  } while (i < units.length);
  return '****';
}

function readBody(ctx: RequestContext, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve(Buffer.concat(chunks).subarray(0, limit).toString('latin1'));
    ctx.req.on('data', (c: Buffer) => {
      if (size < limit) chunks.push(c);
      size += c.length;
    });
    ctx.req.on('end', done);
    ctx.req.on('error', done);
    ctx.req.on('close', done);
  });
}

function setFlag(m: MemberState, flag: StatusFlag, on: string): void {
  if (Number.parseInt(on, 10)) m.status.add(flag);
  else m.status.delete(flag);
}

/** recalc_factors: after a loadfactor change every lbstatus starts from its factor (one member: 100). */
function recalcFactors(b: BalancerState): void {
  if (b.members.length === 1) {
    b.members[0].lbstatus = b.members[0].lbfactor = 100;
    return;
  }
  for (const m of b.members) m.lbstatus = m.lbfactor;
}

/** balancer_process_balancer_worker. Returns an HttpError for a failed member addition. */
function processParams(g: BalancerGlobal, conf: ProxyServerConfig | undefined, b: BalancerState, w: MemberState | undefined, p: Map<string, string>): HttpError | undefined {
  if (w) {
    const wasUsable = isUsable(w);
    let v = p.get('w_lf');
    if (v !== undefined) {
      const lf = Math.trunc(Number.parseFloat(v) * 100);
      if (lf >= 100 && lf <= 10000) {
        w.lbfactor = lf;
        recalcFactors(b);
      }
    }
    if ((v = p.get('w_wr')) !== undefined) w.route = v !== '' && v.length < 64 ? v : '';
    if ((v = p.get('w_rr')) !== undefined) w.redirect = v !== '' && v.length < 64 ? v : '';
    for (const f of ['I', 'N', 'D', 'H', 'R', 'S', 'C'] as StatusFlag[]) {
      const val = p.get(`w_status_${f}`);
      if (val !== undefined) setFlag(w, f, val);
    }
    if ((v = p.get('w_ls')) !== undefined) {
      const n = Number.parseInt(v, 10);
      if (n >= 0 && n <= 99) w.lbset = n;
    }
    if ((v = p.get('w_hi')) !== undefined) {
      const n = Number.parseInt(v, 10);
      if (n * 1000 >= 100_000) w.hcInterval = n * 1000;
    }
    if ((v = p.get('w_hp')) !== undefined && Number.parseInt(v, 10) >= 1) w.hcPasses = Number.parseInt(v, 10);
    if ((v = p.get('w_hf')) !== undefined && Number.parseInt(v, 10) >= 1) w.hcFails = Number.parseInt(v, 10);
    if ((v = p.get('w_hm')) !== undefined) {
      const meth = HC_METHODS.find((x) => x.toLowerCase() === v?.toLowerCase());
      if (meth) w.hcMethod = meth;
    }
    if ((v = p.get('w_hu')) !== undefined) w.hcUri = v !== '' && v.length < 64 ? v : '';
    if ((v = p.get('w_he')) !== undefined) w.hcExpr = v !== '' && v.length < 64 ? v : '';
    if (w.hcMethod === 'NONE' || w.hcMethod === 'TCP') w.hcExpr = '';
    if (!wasUsable && isUsable(w)) b.needReset = true;
  }
  let v = p.get('b_lbm');
  if (v !== undefined && v !== b.lbmethod && g.methods.has(v)) {
    b.lbmethod = v;
    b.needReset = true;
  }
  if ((v = p.get('b_tmo')) !== undefined) {
    const n = Number.parseInt(v, 10);
    if (n >= 0 && n <= 7200) b.timeout = n * 1_000_000;
  }
  if ((v = p.get('b_max')) !== undefined) {
    const n = Number.parseInt(v, 10);
    if (n >= 0 && n <= 99) b.maxAttempts = n;
  }
  if ((v = p.get('b_sforce')) !== undefined) b.stickyForce = Number.parseInt(v, 10) !== 0;
  if ((v = p.get('b_ss')) !== undefined && v !== '' && v.length < 63) {
    if (v === '-') b.sticky = b.stickyPath = '';
    else {
      const bar = v.indexOf('|');
      b.sticky = bar < 0 ? v : v.slice(0, bar);
      b.stickyPath = bar < 0 ? v : v.slice(bar + 1);
    }
  }
  const add = p.get('b_nwrkr');
  if (p.get('b_wyes') === '1' && add !== undefined) {
    if (b.members.some((m) => m.name === add.toLowerCase()) || b.members.length >= b.def.members.length + b.growth) {
      return httpError(400, `AH10164: ${b.name}: failed to add worker ${add}`);
    }
    const m = addedMember(g, conf, b, add);
    if (!m) return httpError(400, `AH10163: ${b.name}: failed to add worker ${add}`);
    b.members.push(m);
  }
  return undefined;
}

/**
 * A member added to a balancer at run time (the manager's "Add New Worker"), disabled as httpd
 * adds it, with a connection pool; undefined when `url` does not name a worker. The other
 * processes of a several-process server make the same member when they learn of it
 * (shared-store.ts).
 */
export function addedMember(g: BalancerGlobal, conf: ProxyServerConfig | undefined, b: BalancerState, url: string): MemberState | undefined {
  const def = defineWorker(url, false, b.def.loc, b.name);
  if (typeof def === 'string') return undefined;
  const origin = originOf({ scheme: def.scheme, host: def.hostname, port: def.port, explicitPort: true });
  if (!origin.ok) return undefined;
  if (conf) g.proxy.pools.set(def, createWorkerPool(origin.value, workerSettings(def, conf, 60_000_000, g.proxy.poolMax)));
  return {
    name: def.name, def, status: new Set<StatusFlag>(['O', 'D']), lbfactor: 100, lbstatus: 0, lbset: 0, route: '', redirect: '',
    retry: 60_000_000, errorTime: 0, retries: 0, elected: 0, busy: 0, transferred: 0, read: 0,
    hcMethod: 'NONE', hcInterval: 30_000_000, hcPasses: 1, hcFails: 1, hcUri: '', hcExpr: '', pcount: 0, fcount: 0, updated: nowUs(),
  };
}

interface PageInput {
  uri: string;
  action: string;
  serverName: string;
  conf: ProxyServerConfig | undefined;
  balancers: BalancerState[];
  bsel?: BalancerState;
  wsel?: MemberState;
  methods: string[];
  hcheck: boolean;
  /** Identifies the server (for the balancers' safe names). */
  serverId: string;
}

const STYLE =
  "<style type='text/css'>\ntable {\n border-width: 1px;\n border-spacing: 3px;\n border-style: solid;\n border-color: gray;\n border-collapse: collapse;\n background-color: white;\n text-align: center;\n}\nth {\n border-width: 1px;\n padding: 2px;\n border-style: dotted;\n border-color: gray;\n background-color: lightgray;\n text-align: center;\n}\ntd {\n border-width: 1px;\n padding: 2px;\n border-style: dotted;\n border-color: gray;\n background-color: white;\n text-align: center;\n}\n</style>\n</head>\n";

function radio(name: string, on: boolean): string {
  return `<td><label for='${name}1'>On</label> <input name='${name}' id='${name}1' value='1' type=radio${on ? ' checked' : ''}> <br/> <label for='${name}0'>Off</label> <input name='${name}' id='${name}0' value='0' type=radio${on ? '' : ' checked'}></td>\n`;
}

/** balancer_display_page, HTML form. */
export function renderPage(p: PageInput): string {
  const short = (b: BalancerState): string => b.name.slice('balancer://'.length);
  let o = '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n<html><head><title>Balancer Manager</title>\n' + STYLE;
  o += `<body><h1>Load Balancer Manager for ${escapeHtml(p.serverName)}</h1>\n\n`;
  o += `<dl><dt>Server Version: ${serverDescription()}</dt>\n<dt>Server Built: ${serverBuilt()}</dt>\n`;
  o += `<dt>Balancer changes will ${p.conf?.balancerPersist ? '' : 'NOT '}be persisted on restart.</dt>`;
  o += `<dt>Balancers are ${p.conf?.balancerInherit === false ? 'NOT ' : ''}inherited from main server.</dt>`;
  o += `<dt>ProxyPass settings are ${p.conf?.passInherit === false ? 'NOT ' : ''}inherited from main server.</dt></dl>\n`;
  for (const b of p.balancers) {
    o += `<hr />\n<h3>LoadBalancer Status for <a href="${escapeUri(p.uri)}?b=${short(b)}&amp;nonce=${b.nonce}">${b.name}</a> [${safeName(p.serverId, b)}]</h3>\n`;
    o += '\n\n<table><tr><th>MaxMembers</th><th>StickySession</th><th>DisableFailover</th><th>Timeout</th><th>FailoverAttempts</th><th>Method</th><th>Path</th><th>Active</th></tr>\n<tr>';
    o += `<td>${b.def.members.length + b.growth} [${b.members.length} Used]</td>\n`;
    if (b.sticky !== '') o += b.sticky !== b.stickyPath ? `<td>${escapeHtml(b.sticky)}|${escapeHtml(b.stickyPath)}` : `<td>${escapeHtml(b.sticky)}`;
    else o += '<td> (None) ';
    o += `</td><td>${b.stickyForce ? 'On' : 'Off'}</td>\n<td>${Math.floor(b.timeout / 1_000_000)}</td><td>${b.maxAttempts}</td>\n<td>${b.lbmethod}</td>\n<td>`;
    if (b.def.vhost) o += `${b.def.vhost} -> `;
    o += `${b.def.vpath ?? ''}</td>\n<td>Yes</td>\n</tr>\n</table>\n<br />`;
    o += '\n\n<table><tr><th>Worker URL</th><th>Route</th><th>RouteRedir</th><th>Factor</th><th>Set</th><th>Status</th><th>Elected</th><th>Busy</th><th>Load</th><th>To</th><th>From</th>';
    if (p.hcheck) o += '<th>HC Method</th><th>HC Interval</th><th>Passes</th><th>Fails</th><th>HC uri</th><th>HC Expr</th>';
    o += '</tr>\n';
    for (const m of b.members) {
      o += `<tr>\n<td><a href="${escapeUri(p.uri)}?b=${short(b)}&amp;w=${escapeUri(m.name)}&amp;nonce=${b.nonce}">${m.def.displayName}</a></td>`;
      o += `<td>${escapeHtml(m.route)}</td><td>${escapeHtml(m.redirect)}</td><td>${fmt2(m.lbfactor)}</td><td>${m.lbset}</td><td>${statusText(m)}</td>`;
      o += `<td>${m.elected}</td><td>${m.busy}</td><td>${m.lbstatus}</td><td>${strfsize(m.transferred)}</td><td>${strfsize(m.read)}`;
      if (p.hcheck) {
        o += `</td><td>${m.hcMethod}</td><td>${Math.floor(m.hcInterval / 1000)}ms</td><td>${m.hcPasses} (${m.pcount})</td><td>${m.hcFails} (${m.fcount})</td><td>${escapeHtml(m.hcUri)}</td><td>${m.hcExpr}`;
      }
      o += '</td></tr>\n';
    }
    o += '</table>\n';
  }
  o += '<hr />\n';
  if (p.hcheck) {
    o += "\n\n<table><tr><th colspan='2'>Health check cond. expressions:</th></tr>\n<tr><th>Expr name</th><th>Expression</th></tr>\n";
    for (const [name, text] of exprs(p.conf)) o += `<tr><td>${name}</td><td>${escapeHtml(text)}</td></tr>\n`;
    o += '</table><hr/>\n';
  }
  const { bsel, wsel } = p;
  if (wsel && bsel) {
    o += `<h3>Edit worker settings for ${wsel.def.displayName}</h3>\n`;
    o += `<form method='POST' enctype='application/x-www-form-urlencoded' action="${escapeUri(p.action)}">\n`;
    o += `<table><tr><td>Load factor:</td><td><input name='w_lf' id='w_lf' type=text value='${fmt2(wsel.lbfactor)}'></td></tr>\n`;
    o += `<tr><td>LB Set:</td><td><input name='w_ls' id='w_ls' type=text value='${wsel.lbset}'></td></tr>\n`;
    o += `<tr><td>Route:</td><td><input name='w_wr' id='w_wr' type=text value="${escapeHtml(wsel.route)}"></td></tr>\n`;
    o += `<tr><td>Route Redirect:</td><td><input name='w_rr' id='w_rr' type=text value="${escapeHtml(wsel.redirect)}"></td></tr>\n`;
    o += '<tr><td>Status:</td><td><table><tr><th>Ignore Errors</th><th>Draining Mode</th><th>Disabled</th><th>Hot Standby</th><th>Hot Spare</th>';
    if (p.hcheck) o += '<th>HC Fail</th>';
    o += '<th>Stopped</th></tr>\n<tr>';
    const s = wsel.status;
    o += radio('w_status_I', s.has('I')) + radio('w_status_N', s.has('N')) + radio('w_status_D', s.has('D')) + radio('w_status_H', s.has('H')) + radio('w_status_R', s.has('R'));
    if (p.hcheck) o += radio('w_status_C', s.has('C'));
    o += radio('w_status_S', s.has('S'));
    o += '</tr></table></td></tr>\n';
    if (p.hcheck) {
      o += "<tr><td colspan='2'>\n<table align='center'><tr><th>Health Check param</th><th>Value</th></tr>\n<tr><td>Method</td><td><select name='w_hm'>\n";
      for (const meth of HC_METHODS) o += `<option value='${meth}' ${wsel.hcMethod === meth ? 'selected' : ''} >${meth}</option>\n`;
      o += "</select>\n</td></tr>\n<tr><td>Expr</td><td><select name='w_he'>\n";
      for (const [name] of exprs(p.conf)) o += `<option value='${name}' ${wsel.hcExpr === name ? 'selected' : ''} >${name}</option>\n`;
      o += '</select>\n</td></tr>\n';
      o += `<tr><td>Interval (ms)</td><td><input name='w_hi' id='w_hi' type='text' value='${Math.floor(wsel.hcInterval / 1000)}'></td></tr>\n`;
      o += `<tr><td>Passes trigger</td><td><input name='w_hp' id='w_hp' type='text' value='${wsel.hcPasses}'></td></tr>\n`;
      o += `<tr><td>Fails trigger)</td><td><input name='w_hf' id='w_hf' type='text' value='${wsel.hcFails}'></td></tr>\n`;
      o += `<tr><td>HC uri</td><td><input name='w_hu' id='w_hu' type='text' value="${escapeHtml(wsel.hcUri)}"></td></tr>\n</table>\n</td></tr>\n`;
    }
    o += "<tr><td colspan='2'><input type=submit value='Submit'></td></tr>\n";
    o += `</table>\n<input type=hidden name='w' id='w' value="${escapeUri(wsel.name)}">\n`;
    o += `<input type=hidden name='b' id='b' value="${escapeHtml(bsel.name.slice('balancer://'.length))}">\n`;
    o += `<input type=hidden name='nonce' id='nonce' value='${bsel.nonce}'>\n</form>\n<hr />\n`;
  } else if (bsel) {
    o += `<h3>Edit balancer settings for ${escapeHtml(bsel.name)}</h3>\n`;
    o += `<form method='POST' enctype='application/x-www-form-urlencoded' action="${escapeUri(p.action)}">\n<table>\n`;
    o += "<tr><td>LBmethod:</td><td>\n<select name='b_lbm' id='b_lbm'>";
    for (const name of p.methods) o += `<option value='${name}'${name === bsel.lbmethod ? ' selected ' : ''}>${name}\n`;
    o += '</select>\n</td></tr>\n';
    o += `<tr><td>Timeout:</td><td><input name='b_tmo' id='b_tmo' type=text value='${Math.floor(bsel.timeout / 1_000_000)}'></td></tr>\n`;
    o += `<tr><td>Failover Attempts:</td><td><input name='b_max' id='b_max' type=text value='${bsel.maxAttempts}'></td></tr>\n`;
    o += '<tr><td>Disable Failover:</td>' + radio('b_sforce', bsel.stickyForce) + '</tr>\n';
    o += "<tr><td>Sticky Session:</td><td><input name='b_ss' id='b_ss' size=64 type=text ";
    o += bsel.sticky !== bsel.stickyPath ? `value ="${escapeHtml(bsel.sticky)}|${escapeHtml(bsel.stickyPath)}` : `value ="${escapeHtml(bsel.sticky)}`;
    o += '">&nbsp;&nbsp;&nbsp;&nbsp;(Use \'-\' to delete)</td></tr>\n';
    if (bsel.members.length < bsel.def.members.length + bsel.growth) {
      o += "<tr><td>Add New Worker:</td><td><input name='b_nwrkr' id='b_nwrkr' size=32 type=text>&nbsp;&nbsp;&nbsp;&nbsp;Are you sure? <input name='b_wyes' id='b_wyes' type=checkbox value='1'></td></tr>";
    }
    o += "<tr><td colspan=2><input type=submit value='Submit'></td></tr>\n";
    o += `</table>\n<input type=hidden name='b' id='b' value="${escapeHtml(bsel.name.slice('balancer://'.length))}">\n`;
    o += `<input type=hidden name='nonce' id='nonce' value='${bsel.nonce}'>\n</form>\n<hr />\n`;
  }
  o += '</body></html>\n';
  return o;
}

/** The ProxyHCExpr conditions (name, text) the page shows (given by mod_proxy_hcheck when loaded). */
let exprs: (conf: ProxyServerConfig | undefined) => [string, string][] = () => [];
export function setExprNames(fn: (conf: ProxyServerConfig | undefined) => [string, string][]): void {
  exprs = fn;
}

/**
 * The balancer's safe name as the page shows it, `p<server id>_<alphanumeric name>` (httpd derives
 * the id from a hash of the server's address and name; featherd from the server's index and name).
 */
function safeName(serverId: string, b: BalancerState): string {
  let h = 0;
  for (const c of serverId) h = (Math.imul(h, 33) + c.charCodeAt(0)) >>> 0;
  return `p${h.toString(16)}_${b.name.slice('balancer://'.length).replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** balancer_display_page, XML form (`?xml=1`). */
export function renderXml(balancers: BalancerState[]): string {
  let o = "<?xml version='1.0' encoding='UTF-8' ?>\n<httpd:manager xmlns:httpd='http://httpd.apache.org'>\n  <httpd:balancers>\n";
  for (const b of balancers) {
    o += `    <httpd:balancer>\n      <httpd:name>${b.name}</httpd:name>\n      <httpd:nonce>${b.nonce}</httpd:nonce>\n`;
    if (b.sticky !== '') o += `      <httpd:stickysession>${escapeHtml(b.sticky)}</httpd:stickysession>\n      <httpd:nofailover>${b.stickyForce ? 'On' : 'Off'}</httpd:nofailover>\n`;
    // httpd 2.4.71 writes no line break after the timeout.
    o += `      <httpd:timeout>${Math.floor(b.timeout / 1_000_000)}</httpd:timeout>`;
    if (b.maxAttemptsSet) o += `      <httpd:maxattempts>${b.maxAttempts}</httpd:maxattempts>\n`;
    o += `      <httpd:lbmethod>${b.lbmethod}</httpd:lbmethod>\n`;
    if (b.sticky !== '') o += `      <httpd:scolonpathdelim>${b.scolonSep ? 'On' : 'Off'}</httpd:scolonpathdelim>\n`;
    o += '      <httpd:workers>\n';
    for (const m of b.members) {
      const d = m.def;
      o += `        <httpd:worker>\n          <httpd:name>${d.displayName}</httpd:name>\n          <httpd:scheme>${d.scheme}</httpd:scheme>\n`;
      o += `          <httpd:hostname>${d.hostname}</httpd:hostname>\n          <httpd:loadfactor>${fmt2(m.lbfactor)}</httpd:loadfactor>\n`;
      o += `          <httpd:port>${d.port}</httpd:port>\n          <httpd:min>${d.params.min ?? 0}</httpd:min>\n          <httpd:smax>${d.params.smax ?? 25}</httpd:smax>\n`;
      o += `          <httpd:max>${d.params.max ?? 25}</httpd:max>\n          <httpd:ttl>${Math.floor((d.params.ttl ?? 0) / 1_000_000)}</httpd:ttl>\n`;
      o += `          <httpd:status>${statusText(m)}</httpd:status>\n          <httpd:retries>${m.retries}</httpd:retries>\n`;
      o += `          <httpd:lbstatus>${m.lbstatus}</httpd:lbstatus>\n          <httpd:loadfactor>${fmt2(m.lbfactor)}</httpd:loadfactor>\n`;
      o += `          <httpd:transferred>${m.transferred}</httpd:transferred>\n          <httpd:read>${m.read}</httpd:read>\n`;
      o += `          <httpd:elected>${m.elected}</httpd:elected>\n          <httpd:route>${escapeHtml(m.route)}</httpd:route>\n`;
      o += `          <httpd:redirect>${escapeHtml(m.redirect)}</httpd:redirect>\n          <httpd:busy>${m.busy}</httpd:busy>\n`;
      o += `          <httpd:lbset>${m.lbset}</httpd:lbset>\n        </httpd:worker>\n`;
    }
    o += '      </httpd:workers>\n    </httpd:balancer>\n';
  }
  return o + '  </httpd:balancers>\n</httpd:manager>';
}

/** safe_referer: the Referer's host is this server's name. */
function safeReferer(ref: string | undefined, serverName: string): boolean {
  if (!ref) return false;
  try {
    return new URL(ref).hostname.replace(/^\[|\]$/g, '').toLowerCase() === serverName.toLowerCase();
  } catch {
    return false;
  }
}

/** The `balancer-manager` handler. */
export async function balancerManager(g: BalancerGlobal, _compiled: CompiledConfig, ctx: RequestContext): Promise<'declined' | 'ok' | HttpError> {
  if (ctx.handler !== 'balancer-manager') return 'declined';
  if (ctx.method !== 'GET' && ctx.method !== 'POST') return 'declined';
  const st = requestState(ctx);
  if (!st) return 'declined';
  const server = st.server;
  const conf = server.configs.get(g.proxyModule) as ProxyServerConfig | undefined;
  const balancers = g.byServer.get(server) ?? [];
  const params = new Map<string, string>();
  if (ctx.args !== null && ctx.method === 'GET') parseParams(ctx.args, params, ['w', 'b', 'nonce', 'xml']);
  if (ctx.method === 'POST') parseParams(await readBody(ctx, 1024), params);
  const serverName = st.hostname ?? server.name;
  const client = { ip: ctx.conn.peerIp, port: ctx.conn.peerPort };
  if (params.size > 0 && !safeReferer(ctx.req.headers.referer, serverName)) {
    server.errorLog.log('error', 'proxy_balancer', 'AH10187: ignoring params in balancer-manager cross-site access', client);
    params.clear();
  }
  const bname = params.get('b');
  const bsel = bname !== undefined ? balancers.find((b) => b.name === `balancer://${bname}`.toLowerCase()) : undefined;
  const wname = params.get('w');
  const wsel = wname !== undefined && bsel ? bsel.members.find((m) => m.name === wname || m.def.displayName === wname) : undefined;
  if (bsel && bsel.nonce !== '' && params.get('nonce') === bsel.nonce) {
    const err = g.store.lock(bsel, () => processParams(g, conf, bsel, wsel, params));
    if (err) return err;
  }
  const res = ctx.res;
  let body: string;
  if (params.has('xml')) {
    res.setHeader('Content-Type', 'text/xml');
    body = renderXml(balancers);
  } else {
    res.setHeader('Content-Type', 'text/html; charset=ISO-8859-1');
    const host = ctx.req.headers.host ?? `${serverName}:${ctx.conn.localPort}`;
    body = renderPage({
      uri: ctx.uri,
      action: `http://${host}${ctx.uri}`,
      serverName,
      conf,
      balancers,
      ...(bsel ? { bsel } : {}),
      ...(wsel ? { wsel } : {}),
      methods: [...g.methods.keys()],
      hcheck: g.hcheck,
      serverId: `${server.index}:${server.name}`,
    });
  }
  res.statusCode = 200;
  const buf = Buffer.from(body, 'latin1');
  res.setHeader('Content-Length', buf.length);
  res.end(buf);
  return 'ok';
}
