import fs from 'node:fs';
import type { Cmd } from '../../directives/types.js';
import { serverRootRelative } from '../authz_core/path.js';
import type { SslVerify, TlsProtocol } from './config.js';

/** ssl_cmd_check_file: the absolute path, or httpd's message (not checked in config-dump mode). */
export function checkFile(cmd: Cmd, arg: string): { path: string } | { error: string } {
  const p = serverRootRelative(cmd, arg);
  if (cmd.state.tree.configDump) return { path: p };
  try {
    const st = fs.statSync(p);
    if (st.isFile() && st.size > 0) return { path: p };
  } catch {
    // reported below
  }
  return { error: `${cmd.entry.name}: file '${p}' does not exist or is empty` };
}

/** ssl_cmd_check_dir. */
export function checkDir(cmd: Cmd, arg: string): { path: string } | { error: string } {
  const p = serverRootRelative(cmd, arg);
  try {
    if (fs.statSync(p).isDirectory()) return { path: p };
  } catch {
    // reported below
  }
  return { error: `${cmd.entry.name}: directory '${p}' does not exist` };
}

const ALL: TlsProtocol[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/**
 * ssl_cmd_protocol_parse with the OpenSSL 3 build's restrictions: names are case-insensitive,
 * SSLv2 and SSLv3 may only be removed (`-SSLv3`, which changes nothing), and a word without
 * +/- replaces the set (httpd warns, AH02532, when that drops protocols already chosen).
 */
export function parseProtocols(cmd: Cmd, words: string[]): TlsProtocol[] | string {
  let set = new Set<TlsProtocol>();
  for (const word of words) {
    let w = word;
    const action = w[0] === '+' || w[0] === '-' ? w[0] : '';
    if (action) w = w.slice(1);
    const lower = w.toLowerCase();
    let these: TlsProtocol[];
    if (lower === 'sslv2') {
      if (action === '-') continue;
      return 'SSLProtocol: SSLv2 is no longer supported'; // the same text for SSLProxyProtocol
    }
    if (lower === 'sslv3') {
      if (action === '-') continue;
      return 'SSLv3 not supported by this version of OpenSSL';
    }
    if (lower === 'all') these = ALL;
    else {
      const p = ALL.find((name) => name.toLowerCase() === lower);
      if (!p) return `${cmd.entry.name}: Illegal protocol '${w}'`;
      these = [p];
    }
    if (action === '-') for (const p of these) set.delete(p);
    else if (action === '+') for (const p of these) set.add(p);
    else {
      if (set.size > 0) {
        cmd.warn({
          severity: 'warning',
          rule: 'httpd',
          code: 'AH02532',
          message: `${cmd.entry.name}: Protocol '${w}' overrides already set parameter(s). Check if a +/- prefix is missing.`,
        });
      }
      set = new Set(these);
    }
  }
  return ALL.filter((p) => set.has(p));
}

/** ssl_cmd_verify_parse. */
export function parseVerify(cmd: Cmd, arg: string): SslVerify | string {
  const a = arg.toLowerCase();
  if (a === 'none' || a === 'off') return 'none';
  if (a === 'optional') return 'optional';
  if (a === 'require' || a === 'on') return 'require';
  if (a === 'optional_no_ca') return 'optional_no_ca';
  return `${cmd.entry.name}: Invalid argument '${arg}'`;
}

/** ssl_cmd_verify_depth_parse. */
export function parseDepth(cmd: Cmd, arg: string): number | string {
  const n = parseInt(arg, 10);
  const depth = Number.isNaN(n) ? 0 : n;
  if (depth >= 0) return depth;
  return `${cmd.entry.name}: Invalid argument '${arg}'`;
}

/** SSLProxy* directives are allowed at server level and in `<Proxy>` sections only. */
export function proxyContext(cmd: Cmd): string | undefined {
  if (cmd.path === undefined) return undefined;
  const inner = cmd.sections[cmd.sections.length - 1];
  if (inner && /^proxy(match)?$/i.test(inner.name)) return undefined;
  const sec = [...cmd.sections].reverse().find((s) => /^(directory|location|files|if|elseif|else)(match)?$/i.test(s.name));
  const canonical = sec ? cmd.state.registry.lookup(`<${sec.name.toLowerCase()}`)[0]?.entry.name ?? `<${sec.name}` : '<Location';
  return `${cmd.entry.name} not allowed in ${canonical}> context`;
}
