/** The `Options` in effect for a merged per-directory configuration. */
import type { ConfigSet } from '../../../directives/types.js';
import { coreDir, type OptionName } from '../config.js';

/** httpd's default for a server's directories: `Options FollowSymLinks`. */
const DEFAULT: ReadonlySet<OptionName> = new Set<OptionName>(['FollowSymLinks']);

export function effectiveOptions(dir: ConfigSet): ReadonlySet<OptionName> {
  const o = coreDir(dir).options;
  if (!o) return DEFAULT;
  if (o.set && o.add.size === 0 && o.remove.size === 0) return o.set;
  const out = new Set<OptionName>(o.set ?? DEFAULT);
  for (const x of o.add) out.add(x);
  for (const x of o.remove) out.delete(x);
  return out;
}

export function allowsSymlinks(dir: ConfigSet): boolean {
  const o = effectiveOptions(dir);
  return o.has('FollowSymLinks') || o.has('SymLinksIfOwnerMatch');
}
