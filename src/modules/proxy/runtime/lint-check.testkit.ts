/** The open-proxy lint rule's findings for a config file, for tests that compare it with the runtime. */
import path from 'node:path';
import { loadConfig } from '../../../config/load.js';
import { lintFindings } from '../../../lint/run.js';
import { openProxy } from '../../../lint/rules/open-proxy/rule.js';
import type { Diagnostic } from '../../../util/diagnostics.js';
import { defaultRegistry } from '../../index.js';

export function lintConfigFile(file: string): Diagnostic[] {
  const loaded = loadConfig({ file, serverRoot: path.dirname(file), registry: defaultRegistry(), env: {} });
  if (loaded.error || !loaded.state || !loaded.tree) throw new Error(`${file} does not load: ${loaded.error?.message ?? 'no tree'}`);
  return lintFindings({ state: loaded.state, tree: loaded.tree, diagnostics: loaded.diagnostics }, [openProxy]);
}
