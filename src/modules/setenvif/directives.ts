import type { Cmd, DirectiveEntry, ModuleDef } from '../../directives/types.js';
import { OR_FILEINFO } from '../../directives/types.js';
import { d } from '../core/entry.js';
import { compileRegex } from '../core/regex.js';
import { parseExpr, type Expr } from '../../expr/index.js';

/** Request attributes SetEnvIf knows besides header names (compared case-insensitively). */
const SPECIAL_ATTRIBUTES = ['remote_host', 'remote_addr', 'server_addr', 'request_method', 'request_protocol', 'request_uri'];

/** One SetEnvIf / SetEnvIfNoCase / BrowserMatch / BrowserMatchNoCase / SetEnvIfExpr line. */
export interface SetEnvIfRule {
  directive: string;
  /** The attribute as written (`User-Agent` for BrowserMatch); undefined for SetEnvIfExpr. */
  attribute?: string;
  /** Set when the attribute is one of SPECIAL_ATTRIBUTES (lower-cased). */
  special?: string;
  /** Set when the attribute is a regex over header names (it has characters other than `-A-Za-z0-9_`). */
  attributeRegex?: RegExp;
  /** The value pattern as written, and compiled. */
  pattern?: string;
  regex?: RegExp;
  /** SetEnvIfExpr's expression, as written and parsed. */
  expr?: string;
  parsed?: Expr;
  /** `var=value` sets, `var` sets "1", `!var` unsets (null). */
  vars: { name: string; value: string | null }[];
  loc: Cmd['node']['loc'];
}

export interface SetEnvIfDirConfig {
  rules: SetEnvIfRule[];
}

export function createSetEnvIfDirConfig(): SetEnvIfDirConfig {
  return { rules: [] };
}

let self: ModuleDef<unknown, SetEnvIfDirConfig> | undefined;
export function bindSetEnvIf(m: ModuleDef<unknown, SetEnvIfDirConfig>): void {
  self = m;
}

function parseVars(words: string[]): SetEnvIfRule['vars'] {
  return words
    .filter((w) => w !== '')
    .map((w) => {
      if (w.startsWith('!')) return { name: w.slice(1), value: null };
      const eq = w.indexOf('=');
      return eq >= 0 ? { name: w.slice(0, eq), value: w.slice(eq + 1) } : { name: w, value: '1' };
    });
}

/** setenvif.c add_setenvif_core / add_browser / add_setenvifexpr. */
function addRule(kind: 'header' | 'browser' | 'expr', icase: boolean) {
  return (cmd: Cmd, words: string[]) => {
    const name = cmd.entry.name;
    const w = [...words];
    const rule: SetEnvIfRule = { directive: name, vars: [], loc: cmd.node.loc };
    if (kind === 'expr') {
      const expr = w.shift();
      if (!expr) return `Missing expression for ${name}`;
      rule.expr = expr;
      const parsed = parseExpr(expr, { ssl: cmd.state.tree.loadedModules.includes('ssl_module') });
      if (!parsed.ok) return `Could not parse expression "${expr}": ${parsed.error}`;
      rule.parsed = parsed.value;
    } else {
      let attribute = 'User-Agent';
      if (kind === 'header') {
        const a = w.shift();
        if (!a) return `Missing header-field name for ${name}`;
        attribute = a;
      }
      const pattern = w.shift();
      if (!pattern) return `Missing regular expression for ${name}`;
      rule.attribute = attribute;
      rule.pattern = pattern;
      const r = compileRegex(pattern, { icase });
      if (!r) return `${name} regex could not be compiled.`;
      rule.regex = r.regex;
      if (SPECIAL_ATTRIBUTES.includes(attribute.toLowerCase())) {
        rule.special = attribute.toLowerCase();
      } else if (!/^[-A-Za-z0-9_]*$/.test(attribute)) {
        const ar = compileRegex(attribute, { icase: true });
        if (!ar) return `${name}Header name regex could not be compiled.`;
        rule.attributeRegex = ar.regex;
      }
    }
    if (w.filter((x) => x !== '').length === 0) return `Missing envariable expression for ${name}`;
    rule.vars = parseVars(w);
    if (self) cmd.dirConfig(self).rules.push(rule);
    return undefined;
  };
}

/** mod_setenvif.c's command table. */
export const setenvifDirectives: DirectiveEntry[] = [
  d('SetEnvIf', 'RAW_ARGS', OR_FILEINFO, 'A header-name, regex and a list of variables.', 'yes', addRule('header', false)),
  d('SetEnvIfNoCase', 'RAW_ARGS', OR_FILEINFO, 'a header-name, regex and a list of variables.', 'yes', addRule('header', true)),
  d('SetEnvIfExpr', 'RAW_ARGS', OR_FILEINFO, 'an expression and a list of variables.', 'yes', addRule('expr', false)),
  d('BrowserMatch', 'RAW_ARGS', OR_FILEINFO, 'A browser regex and a list of variables.', 'yes', addRule('browser', false)),
  d('BrowserMatchNoCase', 'RAW_ARGS', OR_FILEINFO, 'A browser regex and a list of variables.', 'yes', addRule('browser', true)),
];
