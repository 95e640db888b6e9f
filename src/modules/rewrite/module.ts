import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_FILEINFO, RSRC_CONF } from '../../directives/types.js';
import { parseBoolExpr } from '../authz_core/expr.js';
import { isLoaded } from '../authz_core/loaded.js';
import type { RewriteCond, RewriteDirConfig, RewriteOption, RewriteRule, RewriteServerConfig } from './config.js';
import {
  createRewriteDirConfig,
  createRewriteServerConfig,
  mergeRewriteDirConfig,
  mergeRewriteServerConfig,
} from './config.js';
import { parseRewriteMap } from './map.js';
import { condType } from './cond.js';
import { defaultRuleFlags, parseArgLine, parseFlagField, setCondFlag, setRuleFlag } from './parse.js';
import { compileRegex } from '../core/regex.js';

/** mod_rewrite.c */
export const rewriteModule: ModuleDef<RewriteServerConfig, RewriteDirConfig> = {
  id: 'rewrite_module',
  file: 'mod_rewrite.c',
  createServerConfig: createRewriteServerConfig,
  mergeServerConfig: mergeRewriteServerConfig,
  createDirConfig: createRewriteDirConfig,
  mergeDirConfig: mergeRewriteDirConfig,
  directives: [],
};

const OPTIONS: RewriteOption[] = [
  'inherit', 'inheritbefore', 'inheritdown', 'inheritdownbefore', 'ignoreinherit',
  'allownoslash', 'allowanyuri', 'mergebase', 'ignorecontextinfo', 'legacyprefixdocroot',
];

/** The options featherd applies; the others are accepted and said to have no effect. */
const HONOURED_OPTIONS = new Set<RewriteOption>(['inherit', 'inheritbefore', 'mergebase']);

/** The record rules and conditions go to: the section's, or the server's. */
function target(cmd: Cmd): RewriteServerConfig | RewriteDirConfig {
  if (cmd.path === undefined) return cmd.serverConfig(rewriteModule);
  const d = cmd.dirConfig(rewriteModule);
  d.directory = cmd.path;
  return d;
}

function rewriteCond(cmd: Cmd, _args: string[], raw: string): string | undefined {
  const parts = parseArgLine(raw);
  if (!parts) return `RewriteCond: bad argument line '${raw}'`;
  const cond: RewriteCond = { input: parts.a1, pattern: '', type: 'regex', negate: false, nocase: false, ornext: false, novary: false, loc: cmd.node.loc };
  if (parts.a3 !== undefined) {
    const flags = parseFlagField(parts.a3);
    if (typeof flags === 'string') return `RewriteCond: ${flags}`;
    for (const { key } of flags) {
      const e = setCondFlag(cond, key);
      if (e) return `RewriteCond: ${e}`;
    }
  }
  const t = condType(parts.a1, parts.a2);
  cond.type = t.type;
  cond.negate = t.negate;
  cond.pattern = t.pattern;
  if (cond.type !== 'regex' && !cond.type.startsWith('str-') && cond.nocase) {
    const f = cmd.node.loc;
    cmd.warn({
      severity: 'warning',
      rule: 'httpd',
      code: 'AH00665',
      message: `RewriteCond: NoCase option for non-regex pattern '${t.shown}' is not supported and will be ignored. (${f.file}:${f.line})`,
    });
    cond.nocase = false;
  }
  if (cond.type === 'regex') {
    const r = compileRegex(cond.pattern, { icase: cond.nocase });
    if (!r) return `RewriteCond: cannot compile regular expression '${cond.pattern}'`;
    cond.regex = r.regex;
  } else if (cond.type === 'expr') {
    const r = parseBoolExpr(cond.pattern, cmd);
    if (!r.ok) return `RewriteCond: cannot compile expression "${cond.pattern}" ${r.error}`;
    cond.expr = r.expr;
  }
  target(cmd).pendingConds.push(cond);
  return undefined;
}

function rewriteRule(cmd: Cmd, _args: string[], raw: string): string | undefined {
  const parts = parseArgLine(raw);
  if (!parts) return `RewriteRule: bad argument line '${raw}'`;
  const flags = defaultRuleFlags();
  if (parts.a3 !== undefined) {
    const list = parseFlagField(parts.a3);
    if (typeof list === 'string') return `RewriteRule: ${list}`;
    for (const { key, val } of list) {
      const e = setRuleFlag(flags, key, val);
      if (e) return `RewriteRule: ${e}`;
    }
  }
  let pattern = parts.a1;
  const negate = pattern.startsWith('!');
  if (negate) pattern = pattern.slice(1);
  const r = compileRegex(pattern, { icase: flags.nocase });
  if (!r) return `RewriteRule: cannot compile regular expression '${pattern}'`;
  let substitution = parts.a2;
  const noSub = substitution === '-';
  let qsNone = false;
  if (substitution.endsWith('?')) {
    qsNone = true;
    substitution = substitution.slice(0, -1);
  } else if (flags.qsDiscard && !substitution.includes('?')) {
    qsNone = true;
  }
  const t = target(cmd);
  const rule: RewriteRule = { pattern, regex: r.regex, negate, substitution, noSub, qsNone, flags, conds: t.pendingConds, loc: cmd.node.loc };
  t.pendingConds = [];
  t.rules.push(rule);
  if (flags.proxy && !isLoaded(cmd, 'proxy_module')) {
    cmd.warn({
      severity: 'warning',
      rule: 'rewrite-proxy-flag-without-mod-proxy',
      message: 'RewriteRule with the [P] flag needs mod_proxy: without it httpd answers 403 (AH10160 attempt to make remote request from mod_rewrite without proxy enabled)',
    });
  }
  return undefined;
}

rewriteModule.directives.push(
  {
    name: 'RewriteEngine',
    args: 'FLAG',
    contexts: OR_FILEINFO,
    help: 'On or Off to enable or disable (default) the whole rewriting engine',
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      const on = args[0] === 'On';
      if (cmd.path === undefined) cmd.serverConfig(rewriteModule).engine = on;
      cmd.dirConfig(rewriteModule).engine = on;
      return undefined;
    },
  },
  {
    name: 'RewriteOptions',
    args: 'ITERATE',
    contexts: OR_FILEINFO,
    help: 'List of option strings to set',
    support: 'partial',
    note: 'featherd honours Inherit, InheritBefore and MergeBase; the other options are accepted',
    handler(cmd: Cmd, args: string[]) {
      const w = args[0];
      const lower = w.toLowerCase();
      if (lower.startsWith('maxredirects=')) {
        cmd.warn({
          severity: 'warning',
          rule: 'httpd',
          code: 'AH00664',
          message: 'RewriteOptions: MaxRedirects option has been removed in favor of the global LimitInternalRecursion directive and will be ignored.',
        });
        return undefined;
      }
      const opt = OPTIONS.find((o) => o === lower);
      if (!opt) return `RewriteOptions: unknown option '${w}'`;
      if (!HONOURED_OPTIONS.has(opt)) {
        cmd.warn({
          severity: 'warning',
          rule: 'not-honoured',
          message: `RewriteOptions ${w} is accepted but has no effect in featherd (it honours Inherit, InheritBefore and MergeBase)`,
        });
      }
      const add = (rec: { options?: RewriteOption[] }) => {
        rec.options = [...(rec.options ?? []), opt];
      };
      if (cmd.path === undefined) add(cmd.serverConfig(rewriteModule));
      add(cmd.dirConfig(rewriteModule));
      return undefined;
    },
  },
  {
    name: 'RewriteBase',
    args: 'TAKE1',
    contexts: OR_FILEINFO,
    help: 'the base URL of the per-directory context',
    support: 'yes',
    handler(cmd: Cmd, args: string[]) {
      if (cmd.path === undefined) return 'RewriteBase: only valid in per-directory config files';
      if (args[0] === '') return 'RewriteBase: empty URL not allowed';
      if (!args[0].startsWith('/')) return 'RewriteBase: argument is not a valid URL';
      cmd.dirConfig(rewriteModule).base = args[0];
      return undefined;
    },
  },
  {
    name: 'RewriteCond',
    args: 'RAW_ARGS',
    contexts: OR_FILEINFO,
    help: 'an input string and a to be applied regexp-pattern',
    support: 'yes',
    handler: rewriteCond,
  },
  {
    name: 'RewriteRule',
    args: 'RAW_ARGS',
    contexts: OR_FILEINFO,
    help: 'an URL-applied regexp-pattern and a substitution URL',
    support: 'yes',
    handler: rewriteRule,
  },
  {
    name: 'RewriteMap',
    args: 'TAKE23',
    contexts: RSRC_CONF,
    help: 'a mapname and a filename and options',
    support: 'partial',
    note: 'featherd supports txt:, rnd: and int: maps; dbm:, prg:, dbd: and fastdbd: are a configtest error',
    handler(cmd: Cmd, args: string[]) {
      const def = parseRewriteMap(cmd, args[0], args[1], args[2]);
      if (typeof def === 'string') return def;
      if (def.type !== 'txt' && def.type !== 'rnd' && def.type !== 'int') {
        cmd.warn({
          severity: 'error',
          rule: 'unsupported',
          message: `RewriteMap ${def.name}: map type '${def.type}' is not supported by featherd (supported: txt, rnd, int)`,
        });
      }
      cmd.serverConfig(rewriteModule).maps.set(def.name, def);
      return undefined;
    },
  },
);

/** mod_rewrite's record of a server (main or vhost). */
export function rewriteServerConfig(configs: Map<ModuleDef, unknown>): RewriteServerConfig | undefined {
  return configs.get(rewriteModule as ModuleDef) as RewriteServerConfig | undefined;
}

/** mod_rewrite's record of one per-directory config set. */
export function rewriteDirConfig(dirConfigs: Map<ModuleDef, unknown>): RewriteDirConfig | undefined {
  return dirConfigs.get(rewriteModule as ModuleDef) as RewriteDirConfig | undefined;
}
