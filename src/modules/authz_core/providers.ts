import type { Cmd } from '../../directives/types.js';
import type { RequireArgs } from './config.js';
import { parseBoolExpr, parseStringExpr } from './expr.js';
import { KNOWN_METHODS } from './methods.js';
import { allWords } from './words.js';
import { parseIpRequire } from '../authz_host/providers.js';

/** An authorization provider `Require` can name, and the module that registers it. */
export interface AuthzProviderDef {
  name: string;
  module: string;
  /** The provider's parse_require_line: an error message or the parsed arguments. */
  parse(args: string, cmd?: Cmd): { error: string } | { parsed: RequireArgs };
}

function exprOf(args: string, provider: 'host' | 'forward-dns' | 'user' | 'group', cmd?: Cmd): { error: string } | { parsed: RequireArgs } {
  const r = parseStringExpr(args, cmd);
  if (!r.ok) return { error: `Cannot parse expression in require line: ${r.error}` };
  return { parsed: { provider, expr: r.expr } };
}

/** mod_ssl's parse functions (ssl_authz_require_ssl_parse, ssl_authz_verify_client_parse). */
function noArgs(provider: 'ssl' | 'ssl-verify-client', args: string): { error: string } | { parsed: RequireArgs } {
  if (args !== '') return { error: `'Require ${provider}' does not take arguments` };
  return { parsed: { provider } };
}

/** Every provider featherd knows, by name (names are case-sensitive in httpd). */
export const AUTHZ_PROVIDERS: Map<string, AuthzProviderDef> = new Map(
  [
    {
      name: 'all',
      module: 'authz_core_module',
      parse(args: string) {
        const a = args.toLowerCase();
        if (a === 'granted') return { parsed: { provider: 'all', granted: true } };
        if (a === 'denied') return { parsed: { provider: 'all', granted: false } };
        return { error: "Argument for 'Require all' must be 'granted' or 'denied'" };
      },
    },
    {
      name: 'env',
      module: 'authz_core_module',
      parse: (args: string) => ({ parsed: { provider: 'env', vars: allWords(args).filter((w) => w !== '') } }),
    },
    {
      name: 'method',
      module: 'authz_core_module',
      parse(args: string) {
        const methods: string[] = [];
        for (const w of allWords(args)) {
          if (w === '') break;
          if (!KNOWN_METHODS.has(w)) return { error: `Invalid Method '${w}'` };
          methods.push(w);
        }
        return { parsed: { provider: 'method', methods } };
      },
    },
    {
      name: 'expr',
      module: 'authz_core_module',
      parse(args: string, cmd?: Cmd) {
        let text = args;
        if (text.startsWith('"') && text.length >= 1 && text.endsWith('"')) text = text.slice(1, -1);
        const r = parseBoolExpr(text, cmd);
        if (!r.ok) return { error: `Cannot parse expression in require line: ${r.error}` };
        return { parsed: { provider: 'expr', expr: r.expr, wantsUser: /%\{\s*REMOTE_USER\s*\}|\bREMOTE_USER\b/i.test(text) } };
      },
    },
    { name: 'ip', module: 'authz_host_module', parse: parseIpRequire },
    { name: 'host', module: 'authz_host_module', parse: (args: string, cmd?: Cmd) => exprOf(args, 'host', cmd) },
    { name: 'forward-dns', module: 'authz_host_module', parse: (args: string, cmd?: Cmd) => exprOf(args, 'forward-dns', cmd) },
    { name: 'local', module: 'authz_host_module', parse: () => ({ parsed: { provider: 'local' } }) },
    { name: 'valid-user', module: 'authz_user_module', parse: () => ({ parsed: { provider: 'valid-user' } }) },
    { name: 'user', module: 'authz_user_module', parse: (args: string, cmd?: Cmd) => exprOf(args, 'user', cmd) },
    { name: 'group', module: 'authz_groupfile_module', parse: (args: string, cmd?: Cmd) => exprOf(args, 'group', cmd) },
    { name: 'file-group', module: 'authz_groupfile_module', parse: () => ({ parsed: { provider: 'file-group' } }) },
    { name: 'ssl', module: 'ssl_module', parse: (args: string) => noArgs('ssl', args) },
    { name: 'ssl-verify-client', module: 'ssl_module', parse: (args: string) => noArgs('ssl-verify-client', args) },
  ].map((p) => [p.name, p as AuthzProviderDef]),
);
