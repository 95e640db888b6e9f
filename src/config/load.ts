/**
 * The single entry point for turning a config file into checked, walked configuration:
 * read it (includes, defines, conditionals) and run every directive's handler.
 */
import type { ConfigTree, Loc } from './ast.js';
import type { WalkState } from '../directives/types.js';
import { walkConfig } from '../directives/walk.js';
import type { ConfigError, Diagnostic } from '../util/diagnostics.js';
import { CMDLINE_FILE, readConfig, type ReadOptions } from './reader.js';

export type { ReadOptions } from './reader.js';

export interface LoadResult {
  error?: ConfigError;
  tree?: ConfigTree;
  state?: WalkState;
  diagnostics: Diagnostic[];
}

/** readConfig, then walkConfig. Stops at the first error, as httpd does. Never throws. */
export function loadConfig(opts: ReadOptions): LoadResult {
  const { result, diagnostics } = readConfig(opts);
  if (!result.ok) return { error: result.error, diagnostics };
  return walkTree(result.value, opts.registry, diagnostics);
}

/**
 * walkConfig on a tree readConfig returned, with the reader's diagnostics first (for callers
 * that check the tree between reading and walking, as httpd checks the MPM). Never throws.
 */
export function walkTree(tree: ConfigTree, registry: ReadOptions['registry'], diagnostics: Diagnostic[]): LoadResult {
  let walked: ReturnType<typeof walkConfig>;
  try {
    walked = walkConfig(tree, registry);
  } catch (e) {
    const message = `Internal error while checking the configuration: ${e instanceof Error ? e.message : String(e)}`;
    return { error: { phase: 'plain', message }, tree, diagnostics };
  }
  const all = [...diagnostics, ...walked.state.diagnostics];
  const out: LoadResult = { tree, state: walked.state, diagnostics: all };
  if (walked.error) out.error = walked.error;
  else {
    const failed = checkConfig(walked.state);
    if (failed) {
      all.push(failed);
      out.error = { phase: 'startup', message: 'AH00014: Configuration check failed' };
    }
  }
  return out;
}

/**
 * httpd's ap_run_check_config, after a walk without error: the check_config hooks of the
 * modules in the configuration, in registry order, until one fails. The failure is the
 * message the module logs; httpd then stops with AH00014.
 */
export function checkConfig(state: WalkState): Diagnostic | undefined {
  const loaded = new Set(state.tree.loadedModules);
  for (const m of state.registry.modules) {
    if (!m.checkConfig || !(m.builtin || loaded.has(m.id))) continue;
    const failed = m.checkConfig(state);
    if (failed) return failed;
  }
  return undefined;
}

/**
 * What httpd's error logger does to a message (ap_escape_errorlog_item): control characters
 * become `\n`, `\t`, … or `\xhh`, a backslash is doubled, bytes outside printable ASCII become
 * `\xhh` (per UTF-8 byte). Quotes are left alone.
 */
export function escapeLogItem(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f) {
      out += ch === '\\' ? '\\\\' : ch;
      continue;
    }
    switch (ch) {
      case '\b':
        out += '\\b';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    for (const b of Buffer.from(ch, 'utf8')) out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function wrap(loc: Loc): string {
  return `Syntax error on line ${loc.line} of ${loc.file}: `;
}

/**
 * httpd's text for an error (what `apache2 -t` prints on stderr, without a trailing newline),
 * with `argv0` in place of the program name:
 *  - build:   `argv0: Syntax error on line N of FILE: ` once per file level, then the message;
 *  - walk:    `AH00526: Syntax error on line N of FILE:` + newline + the message;
 *  - plain:   `argv0: message`;
 *  - cmdline: `argv0: Syntax error in -C/-c directive: ` + the included-file levels + message.
 * A featherd hint, when present, is not part of this text (print it separately).
 */
export function formatConfigError(err: ConfigError, argv0 = 'featherd'): string {
  const chain: Loc[] = [...(err.includedFrom ?? []), ...(err.loc ? [err.loc] : [])];
  switch (err.phase) {
    case 'walk':
      if (!err.loc) return escapeLogItem(err.message);
      return `${escapeLogItem(`AH00526: Syntax error on line ${err.loc.line} of ${err.loc.file}:`)}\n${escapeLogItem(err.message)}`;
    case 'plain':
      return escapeLogItem(`${argv0}: ${err.message}`);
    case 'startup':
      return escapeLogItem(err.message);
    case 'cmdline':
      return escapeLogItem(
        `${argv0}: Syntax error in -C/-c directive: ${chain
          .filter((l) => l.file !== CMDLINE_FILE)
          .map(wrap)
          .join('')}${err.message}`,
      );
    case 'build':
      return escapeLogItem(`${argv0}: ${chain.map(wrap).join('')}${err.message}`);
  }
}
