import type { CoreDirConfig, CoreSection, CoreServerConfig, LogLevelConfig, OptionName } from './config.js';
import { ETAG_UNSET } from './static/etag.js';

/** Copy the fields of `add` that are set over `base` (httpd's usual "if (new->x) conf->x = new->x"). */
function overlay<T extends object>(base: T, add: T): T {
  const out = { ...base };
  for (const [k, v] of Object.entries(add)) {
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

function mergeLogLevel(base: LogLevelConfig, add: LogLevelConfig): LogLevelConfig {
  return { level: add.level ?? base.level, modules: new Map([...base.modules, ...add.modules]) };
}

/**
 * A virtual host's core record merged over the main server's (core.c merge_core_server_configs
 * plus what ap_fixup_virtual_hosts fills in): unset values come from the main server, the
 * main server's sections come before the vhost's (as httpd appends its sec_dir/sec_url).
 */
export function mergeCoreServer(base: CoreServerConfig, add: CoreServerConfig): CoreServerConfig {
  const out = overlay(base, add);
  out.port = add.port || base.port;
  out.serverName = add.serverName ?? base.serverName;
  out.aliases = add.aliases;
  out.wildAliases = add.wildAliases;
  out.addresses = add.addresses;
  out.listeners = base.listeners;
  out.errorLogFormat = add.errorLogFormat.length ? add.errorLogFormat : base.errorLogFormat;
  out.logLevel = mergeLogLevel(base.logLevel, add.logLevel);
  out.httpProtocolOptions = overlay(base.httpProtocolOptions, add.httpProtocolOptions);
  out.sections = [...base.sections, ...add.sections];
  return out;
}

type Options = NonNullable<CoreDirConfig['options']>;

function mergeOptions(base: Options | undefined, add: Options | undefined): Options | undefined {
  if (!add) return base;
  if (!base || add.set) return add;
  const minus = (a: Set<OptionName>, b: Set<OptionName>) => new Set([...a].filter((x) => !b.has(x)));
  if (base.set) return { set: new Set([...minus(base.set, add.remove), ...add.add]), add: new Set(), remove: new Set() };
  return { add: new Set([...minus(base.add, add.remove), ...add.add]), remove: new Set([...minus(base.remove, add.add), ...add.remove]) };
}

/** A more specific per-directory core record merged over a less specific one (merge_core_dir_configs). */
export function mergeCoreDir(base: CoreDirConfig, add: CoreDirConfig): CoreDirConfig {
  const out = overlay(base, add);
  out.options = mergeOptions(base.options, add.options);
  out.errorDocuments = new Map([...base.errorDocuments, ...add.errorDocuments]);
  out.nested = add.nested;
  const ifs = [...ifSectionsOf(base), ...ifSectionsOf(add)];
  if (ifs.length > 0) out.ifSections = ifs;
  else delete out.ifSections;
  if (base.logLevel && add.logLevel) out.logLevel = mergeLogLevel(base.logLevel, add.logLevel);
  out.etag = mergeEtag(base.etag, add.etag);
  return out;
}

/** merge_core_dir_configs for FileETag: relative settings adjust the inherited ones, absolute ones replace them. */
function mergeEtag(base: CoreDirConfig['etag'], add: CoreDirConfig['etag']): CoreDirConfig['etag'] {
  if (!add) return base;
  if (add.bits !== ETAG_UNSET || !base) return add;
  const addBits = (base.add & ~add.remove) | add.add;
  const removeBits = (base.remove & ~add.add) | add.remove;
  return { add: addBits, remove: removeBits, bits: (base.bits & ~removeBits) | addBits };
}

/** The `<If>` chain sections a per-directory record carries: merged ones, or its own nested ones. */
export function ifSectionsOf(c: CoreDirConfig): CoreSection[] {
  return c.ifSections ?? c.nested.filter((s) => s.kind === 'if' || s.kind === 'elseif' || s.kind === 'else');
}

/** httpd's default for a server's directories: `Options FollowSymLinks`. */
const DEFAULT_OPTIONS: ReadonlySet<OptionName> = new Set<OptionName>(['FollowSymLinks']);

/** The options in effect after merging (add and remove never share a name). */
export function effectiveOptions(o: CoreDirConfig['options']): ReadonlySet<OptionName> {
  if (!o) return DEFAULT_OPTIONS;
  if (o.set && o.add.size === 0 && o.remove.size === 0) return o.set;
  const out = new Set<OptionName>(o.set ?? DEFAULT_OPTIONS);
  for (const x of o.add) out.add(x);
  for (const x of o.remove) out.delete(x);
  return out;
}
