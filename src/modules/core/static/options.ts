/** The `Options` in effect for a merged per-directory configuration. */
import type { ConfigSet } from '../../../directives/types.js';
import { coreDir, type OptionName } from '../config.js';
import { effectiveOptions as optionsInEffect } from '../merge.js';

export function effectiveOptions(dir: ConfigSet): ReadonlySet<OptionName> {
  return optionsInEffect(coreDir(dir).options);
}

export function allowsSymlinks(dir: ConfigSet): boolean {
  const o = effectiveOptions(dir);
  return o.has('FollowSymLinks') || o.has('SymLinksIfOwnerMatch');
}
