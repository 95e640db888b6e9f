import { formatConfigError, walkTree, type LoadResult, type ReadOptions } from '../config/load.js';
import { readConfig } from '../config/reader.js';
import { checkMpmModules } from '../modules/core/listen.js';
import type { ConfigError } from '../util/diagnostics.js';

/** What the CLI needs from reading and walking a configuration. */
export interface Loaded extends LoadResult {
  /** httpd's AH00534 line when the files read fine but did not load exactly one MPM. */
  mpmError?: string;
}

/**
 * Read, check the MPM, then walk, in httpd's order (ap_read_config reads the files and fails
 * with AH00534 unless one MPM was loaded; ap_process_config_tree then runs the handlers). A
 * configuration without an MPM therefore reports the MPM, not its first unknown directive.
 */
export function loadForCli(opts: ReadOptions, argv0: string): Loaded {
  const { result, diagnostics } = readConfig(opts);
  if (!result.ok) return { error: result.error, diagnostics };
  const tree = result.value;
  const mpm = checkMpmModules(tree.loadedModules);
  if (mpm) {
    return {
      error: { phase: 'plain', message: `Configuration error: ${mpm}` },
      mpmError: `AH00534: ${argv0}: Configuration error: ${mpm}\n`,
      tree,
      diagnostics,
    };
  }
  return walkTree(tree, opts.registry, diagnostics);
}

/** httpd's text for a configuration error, newline-terminated (what `apache2 -t` prints). */
export function httpdErrorText(err: ConfigError, argv0: string): string {
  return formatConfigError(err, argv0) + '\n';
}
