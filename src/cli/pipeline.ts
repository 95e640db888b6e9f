import { formatConfigError, loadConfig, type LoadResult, type ReadOptions } from '../config/load.js';
import type { ConfigError } from '../util/diagnostics.js';

/** What the CLI needs from reading and walking a configuration. */
export type Loaded = LoadResult;

/** Read, then walk (httpd's ap_read_config + ap_process_config_tree). */
export function loadForCli(opts: ReadOptions): Loaded {
  return loadConfig(opts);
}

/** httpd's text for a configuration error, newline-terminated (what `apache2 -t` prints). */
export function httpdErrorText(err: ConfigError, argv0: string): string {
  return formatConfigError(err, argv0) + '\n';
}
