import type { Cmd, DirectiveEntry, ModuleDef } from '../../directives/types.js';
import { ACCESS_CONF, NOT_IN_DIR_CONTEXT, NOT_IN_DIRECTORY, NOT_IN_FILES, OR_FILEINFO, RSRC_CONF } from '../../directives/types.js';
import { isUrl } from '../core/dir-directives.js';
import { d } from '../core/entry.js';
import { compileRegex } from '../core/regex.js';
import { atoi } from '../core/server-directives.js';
import { parseStringExpr } from '../../expr/index.js';
import type { AliasDirConfig, AliasServerConfig, RedirectEntry } from './config.js';

let self: ModuleDef<AliasServerConfig, AliasDirConfig> | undefined;
export function bindAlias(m: ModuleDef<AliasServerConfig, AliasDirConfig>): void {
  self = m;
}
function sconf(cmd: Cmd): AliasServerConfig {
  return cmd.serverConfig(self as ModuleDef<AliasServerConfig, AliasDirConfig>);
}
function dconf(cmd: Cmd): AliasDirConfig {
  return cmd.dirConfig(self as ModuleDef<AliasServerConfig, AliasDirConfig>);
}

/** mod_alias.c alias_matches: how much of `uri` the alias prefix `fake` covers (0 = no match). */
export function aliasMatches(uri: string, fake: string): number {
  let u = 0;
  let f = 0;
  while (f < fake.length) {
    if (fake[f] === '/') {
      if (uri[u] !== '/') return 0;
      while (fake[f] === '/') f++;
      while (uri[u] === '/') u++;
    } else if (uri[u++] !== fake[f++]) {
      return 0;
    }
  }
  if (f > 0 && fake[f - 1] !== '/' && u < uri.length && uri[u] !== '/') return 0;
  return u;
}

function addAliasInternal(cmd: Cmd, fake: string, real: string, useRegex: boolean, script: boolean) {
  const err = cmd.checkContext(NOT_IN_DIR_CONTEXT);
  if (err) return err;
  const conf = sconf(cmd);
  const entry = { fake, real, script, loc: cmd.node.loc } as AliasServerConfig['aliases'][number];
  if (useRegex) {
    const r = compileRegex(fake);
    if (!r) return 'Regular expression could not be compiled.';
    entry.regex = r.regex;
  } else {
    const earlier = conf.aliases.find((a) => (a.regex ? a.regex.test(fake) : aliasMatches(fake, a.fake) > 0));
    if (earlier) {
      const { file, line } = cmd.node.loc;
      cmd.warn({
        severity: 'warning',
        rule: 'httpd',
        code: 'AH00671',
        message: `The ${cmd.entry.name} directive in ${file} at line ${line} will probably never match because it overlaps an earlier ${earlier.script ? 'Script' : ''}Alias${earlier.regex ? 'Match' : ''}.`,
      });
    }
  }
  conf.aliases.push(entry);
  return undefined;
}

function addAlias(script: boolean) {
  return (cmd: Cmd, [fake, real]: string[]) => {
    if (real !== undefined) return addAliasInternal(cmd, fake, real, false, script);
    const err = cmd.checkContext(NOT_IN_DIRECTORY | NOT_IN_FILES);
    if (err) return err;
    if (cmd.path === undefined) return `${cmd.entry.name} must have two arguments when used globally`;
    const parsed = parseStringExpr(fake, { ssl: cmd.state.tree.loadedModules.includes('ssl_module') });
    if (!parsed.ok) return `Cannot parse alias expression '${fake}': ${parsed.error}`;
    dconf(cmd).alias = { real: fake, script, expr: parsed.value };
    return undefined;
  };
}

function addAliasMatch(script: boolean) {
  return (cmd: Cmd, [fake, real]: string[]) => addAliasInternal(cmd, fake, real, true, script);
}

const isRedirect = (s: number) => s >= 300 && s <= 399;

/** mod_alias.c add_redirect_internal. */
function addRedirectInternal(cmd: Cmd, args: string[], useRegex: boolean, fixedStatus?: number) {
  const [arg1, arg2, arg3] = args;
  let status = fixedStatus ?? 302;
  let grok = 1;
  const a1 = arg1.toLowerCase();
  if (fixedStatus !== undefined) grok = 0;
  else if (a1 === 'permanent') status = 301;
  else if (a1 === 'temp') status = 302;
  else if (a1 === 'seeother') status = 303;
  else if (a1 === 'gone') {
    status = 410;
    grok = -1;
  } else if (/^\d/.test(arg1)) {
    status = atoi(arg1);
    if (!isRedirect(status)) grok = -1;
  } else grok = 0;
  if (arg3 !== undefined && !grok) return 'Redirect: invalid first argument (of three)';

  let fake: string | undefined;
  let url: string | undefined;
  if (arg3 !== undefined) {
    fake = arg2;
    url = arg3;
  } else if (arg2 !== undefined) {
    if (!grok) {
      fake = arg1;
      url = arg2;
    } else if (cmd.path !== undefined && !useRegex) {
      url = arg2;
    } else {
      fake = arg2;
    }
  } else if (!grok && cmd.path !== undefined && !useRegex) {
    url = arg1;
  } else if (!grok) {
    fake = arg1;
  }

  const entry: RedirectEntry = { status, loc: cmd.node.loc };
  if (fake !== undefined) {
    entry.fake = fake;
    if (useRegex) {
      const r = compileRegex(fake);
      if (!r) return 'Regular expression could not be compiled.';
      entry.regex = r.regex;
    }
  }
  if (fake === undefined && url !== undefined) {
    // The one-argument form inside <Location>: the target is an ap_expr string expression.
    const parsed = parseStringExpr(url, { ssl: cmd.state.tree.loadedModules.includes('ssl_module') });
    if (!parsed.ok) return `Cannot parse redirect expression '${url}': ${parsed.error}`;
    entry.expr = parsed.value;
  }
  if (isRedirect(status)) {
    if (!url) return 'URL to redirect to is missing';
    if (!useRegex && entry.expr === undefined && !isUrl(url) && !url.startsWith('/')) return 'Redirect to non-URL';
  } else if (url) {
    return 'Redirect URL not valid for this status';
  }
  if (url !== undefined) entry.url = url;
  if (cmd.path !== undefined) dconf(cmd).redirects.push(entry);
  else sconf(cmd).redirects.push(entry);
  return undefined;
}

function addRedirect(useRegex: boolean, fixedStatus?: number) {
  return (cmd: Cmd, args: string[]) => addRedirectInternal(cmd, args, useRegex, fixedStatus);
}

function dirFlag(field: 'redirectRelative' | 'aliasPreservePath') {
  return (cmd: Cmd, [arg]: string[]) => {
    dconf(cmd)[field] = arg === 'On';
    return undefined;
  };
}

/** mod_alias.c's command table. */
export const aliasDirectives: DirectiveEntry[] = [
  d('Alias', 'TAKE12', RSRC_CONF | ACCESS_CONF, 'a fakename and a realname, or a realname in a Location', 'yes', addAlias(false)),
  d('ScriptAlias', 'TAKE12', RSRC_CONF | ACCESS_CONF, 'a fakename and a realname, or a realname in a Location', 'ignored', addAlias(true), 'featherd runs no CGI scripts'),
  d('Redirect', 'TAKE123', OR_FILEINFO, 'an optional status, then document to be redirected and destination URL', 'yes', addRedirect(false)),
  d('AliasMatch', 'TAKE2', RSRC_CONF, 'a regular expression and a filename', 'yes', addAliasMatch(false)),
  d('ScriptAliasMatch', 'TAKE2', RSRC_CONF, 'a regular expression and a filename', 'ignored', addAliasMatch(true), 'featherd runs no CGI scripts'),
  d('RedirectMatch', 'TAKE23', OR_FILEINFO, 'an optional status, then a regular expression and destination URL', 'yes', addRedirect(true)),
  d('RedirectTemp', 'TAKE2', OR_FILEINFO, 'a document to be redirected, then the destination URL', 'yes', addRedirect(false, 302)),
  d('RedirectPermanent', 'TAKE2', OR_FILEINFO, 'a document to be redirected, then the destination URL', 'yes', addRedirect(false, 301)),
  d('RedirectRelative', 'FLAG', OR_FILEINFO, 'Set to ON to allow relative redirect targets to be issued as-is', 'yes', dirFlag('redirectRelative')),
  d('AliasPreservePath', 'FLAG', OR_FILEINFO, 'Set to ON to map the full path after the fakename to the realname.', 'ignored', dirFlag('aliasPreservePath'), 'an Alias inside <Location> maps every path under the location to its realname as it is'),
];
