import type { PassRule } from '../../../modules/proxy/config.js';
import type { Diagnostic } from '../../../util/diagnostics.js';
import { serverProxies } from '../../records.js';
import type { LintRule } from '../../types.js';
import { lineRef } from '../../where.js';

/**
 * httpd's alias_match: whether the local path `alias` matches `uri` (a run of `/` in the alias
 * matches a run in the URI; the last alias component must end at `/` or the end of the URI).
 */
export function aliasMatch(uri: string, alias: string): boolean {
  let a = 0;
  let u = 0;
  while (a < alias.length && u < uri.length) {
    if (alias[a] === '/') {
      if (uri[u] !== '/') return false;
      while (alias[a] === '/') a++;
      while (uri[u] === '/') u++;
    } else if (uri[u++] !== alias[a++]) {
      return false;
    }
  }
  if (u >= uri.length && a < alias.length) return false;
  if (alias[a - 1] !== '/' && u < uri.length && uri[u] !== '/') return false;
  return true;
}

/** The rules written at server level (not in a <Location>); the list itself when that is all of them. */
function serverLevel(rules: PassRule[]): PassRule[] {
  for (let i = 0; i < rules.length; i++) if (rules[i].section !== undefined) return rules.filter((r) => r.section === undefined);
  return rules;
}

function show(r: PassRule): string {
  return `${r.directive} ${r.path} ${r.rawUrl}`;
}

/**
 * Server-level ProxyPass rules are tried in order and the first match wins (main-server rules
 * before a vhost's). A prefix rule whose every path an earlier, broader prefix rule already
 * matches is never used; an exclusion (`!`) placed after the rule it should carve out of has no
 * effect.
 */
export const proxypassShadowed: LintRule = {
  id: 'proxypass-shadowed',
  description: 'A ProxyPass rule can never match because an earlier, broader rule matches first',
  check(state) {
    const out: Diagnostic[] = [];
    const proxies = serverProxies(state);
    // The main server is first.
    const main = proxies[0].aliases;
    // `list` is what applies in a server, in order: the main server's rules, then the server's
    // own, which start at `first` and are the ones checked (each rule belongs to one server, so
    // each is checked once).
    const check = (list: PassRule[], first: number) => {
      for (let j = first; j < list.length; j++) {
        const later = list[j];
        if (later.kind !== 'prefix') continue;
        let earlier: PassRule | undefined;
        for (let i = 0; i < j && !earlier; i++) {
          const r = list[i];
          if (r.kind === 'prefix' && aliasMatch(later.path, r.path)) earlier = r;
        }
        if (!earlier) continue;
        let message: string;
        if (later.url === '!' && earlier.url !== '!') {
          message = `'${show(later)}' has no effect: '${show(earlier)}' (${lineRef(earlier.loc, later.loc)}) matches first; put exclusions before the rules they carve out of`;
        } else if (earlier.url === '!') {
          message = `'${show(later)}' is never used: the exclusion '${show(earlier)}' (${lineRef(earlier.loc, later.loc)}) matches every path it would`;
        } else {
          message = `'${show(later)}' is never used: '${show(earlier)}' (${lineRef(earlier.loc, later.loc)}) matches every path it would; put the longer path first`;
        }
        out.push({ severity: 'warning', rule: 'proxypass-shadowed', message, loc: later.loc });
      }
    };
    const mainOwn = serverLevel(main);
    for (let i = 0; i < proxies.length; i++) {
      const own = serverLevel(proxies[i].aliases);
      if (i === 0 || mainOwn.length === 0) check(own, 0);
      else check([...mainOwn, ...own], mainOwn.length);
    }
    return out;
  },
};
