import type { ConfigTree } from '../config/ast.js';
import { readConfig, type ReadOptions } from '../config/reader.js';
import { walkConfig } from '../directives/walk.js';
import type { WalkState } from '../directives/types.js';
import type { ConfigError, Diagnostic } from '../util/diagnostics.js';

/** What the CLI needs from reading and walking a configuration. */
export interface Loaded {
  tree?: ConfigTree;
  state?: WalkState;
  error?: ConfigError;
  /** Everything reported on the way (httpd's startup warnings and featherd's own notes). */
  diagnostics: Diagnostic[];
}

/** Read, then walk (httpd's ap_read_config + ap_process_config_tree). */
export function loadForCli(opts: ReadOptions): Loaded {
  const read = readConfig(opts);
  if (!read.result.ok) return { error: read.result.error, diagnostics: read.diagnostics };
  const tree = read.result.value;
  const walked = walkConfig(tree, opts.registry);
  return {
    tree,
    state: walked.state,
    error: walked.error,
    diagnostics: [...read.diagnostics, ...walked.state.diagnostics],
  };
}

/** httpd's text for a configuration error (what `apache2 -t` prints, with `argv0` for the program name). */
export function httpdErrorText(err: ConfigError, argv0: string): string {
  switch (err.phase) {
    case 'plain':
      return `${argv0}: ${err.message}\n`;
    case 'cmdline':
      return `${argv0}: Syntax error in -C/-c directive: ${err.message}\n`;
    case 'build': {
      if (!err.loc) return `${argv0}: ${err.message}\n`;
      const chain = [...(err.includedFrom ?? []), err.loc];
      let text = `${argv0}: `;
      for (let i = 0; i < chain.length; i++) {
        // Each level names the line of the Include in the file above it, then the error's own line.
        const here = i === chain.length - 1 ? err.loc : chain[i];
        text += `Syntax error on line ${here.line} of ${here.file}: `;
      }
      return `${text}${err.message.replace(/\n/g, '\\n')}\n`;
    }
    case 'walk':
      if (!err.loc) return `${err.message}\n`;
      return `AH00526: Syntax error on line ${err.loc.line} of ${err.loc.file}:\n${err.message}\n`;
  }
}
