import type { DirectiveEntry, ModuleDef } from '../directives/types.js';
import {
  ACCESS_CONF,
  OR_ALL,
  OR_AUTHCFG,
  OR_FILEINFO,
  OR_INDEXES,
  OR_LIMIT,
  OR_OPTIONS,
  RSRC_CONF,
} from '../directives/types.js';

/**
 * `-L`: every directive of the loaded modules, in module order, as httpd's ap_show_directives:
 * `Name (module.c)`, a tab and the help string, a tab and where it is allowed. featherd adds one
 * more tab-indented line for directives it accepts but does not fully honour.
 */
export function directivesText(modules: ModuleDef[]): string {
  const out: string[] = [];
  for (const m of modules) {
    for (const e of m.directives) {
      out.push(`${e.name} (${m.file})`);
      if (e.help) out.push(`\t${e.help}`);
      out.push(`\t${allowedText(e, m)}`);
      if (e.support === 'ignored') out.push(`\tfeatherd: accepted but ignored${e.note ? `: ${e.note}` : ''}`);
      else if (e.support === 'partial') out.push(`\tfeatherd: partly supported${e.note ? `: ${e.note}` : ''}`);
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** httpd's show_overrides (server/config.c): where a directive may appear. */
export function allowedText(e: DirectiveEntry, m: ModuleDef): string {
  const o = e.contexts;
  let s = 'Allowed in *.conf ';
  if (o & (OR_OPTIONS | OR_FILEINFO | OR_INDEXES) || (o & RSRC_CONF && o & (ACCESS_CONF | OR_AUTHCFG | OR_LIMIT))) {
    s += 'anywhere';
  } else if (o & RSRC_CONF) {
    s += 'only outside <Directory>, <Files>, <Location>, or <If>';
  } else {
    s += 'only inside <Directory>, <Files>, <Location>, or <If>';
  }
  if (o & (OR_OPTIONS | OR_FILEINFO | OR_INDEXES) && !m.createDirConfig) s += ' [no per-dir config]';
  if (o & OR_ALL) {
    s += ' and in .htaccess\n\twhen AllowOverride';
    if ((o & OR_ALL) === OR_ALL) {
      s += " isn't None";
    } else {
      const names: string[] = [];
      if (o & OR_AUTHCFG) names.push('AuthConfig');
      if (o & OR_LIMIT) names.push('Limit');
      if (o & OR_OPTIONS) names.push('Options');
      if (o & OR_FILEINFO) names.push('FileInfo');
      if (o & OR_INDEXES) names.push('Indexes');
      s += ` includes ${names.join(' or ')}`;
    }
  }
  return s;
}
