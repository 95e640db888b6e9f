import type { Cmd } from '../../directives/types.js';
import {
  NOT_IN_FILES,
  NOT_IN_LOCATION,
  OR_ALL,
  OR_AUTHCFG,
  OR_FILEINFO,
  OR_INDEXES,
  OR_LIMIT,
  OR_NONE,
  OR_OPTIONS,
} from '../../directives/types.js';
import { cd, type OptionName } from './config.js';
import { ETAG_ALL, ETAG_DIGEST, ETAG_INODE, ETAG_MTIME, ETAG_NONE, ETAG_SIZE, ETAG_UNSET } from './static/etag.js';
import { atoi } from './server-directives.js';
import { parseStringExpr } from '../../expr/index.js';

const OPTION_NAMES: Record<string, OptionName[]> = {
  indexes: ['Indexes'],
  includes: ['Includes'],
  includesnoexec: ['IncludesNOEXEC'],
  followsymlinks: ['FollowSymLinks'],
  symlinksifownermatch: ['SymLinksIfOwnerMatch'],
  execcgi: ['ExecCGI'],
  multiviews: ['MultiViews'],
  runscripts: ['MultiViews', 'ExecCGI'],
};
const ALL_OPTIONS: OptionName[] = ['Indexes', 'Includes', 'FollowSymLinks', 'ExecCGI'];
const PLUS_MINUS = 'Either all Options must start with + or -, or no Option may.';

/** `Options [+|-]opt …` (core.c set_options). */
export function options(cmd: Cmd, args: string[]) {
  const d = cd(cmd);
  let first = true;
  let merge = false;
  let allNone = false;
  let set: Set<OptionName> | undefined;
  const add = new Set<OptionName>();
  const remove = new Set<OptionName>();
  for (const word of args) {
    let w = word;
    let action = '';
    if (w.startsWith('+') || w.startsWith('-')) {
      action = w[0];
      w = w.slice(1);
      if (!merge && !first && !allNone) return PLUS_MINUS;
      merge = true;
    } else if (first) {
      set = new Set();
    } else if (merge) {
      return PLUS_MINUS;
    }
    const lw = w.toLowerCase();
    let opts: OptionName[];
    if (lw === 'none') {
      if (action) return "You may not use 'Options +None' or 'Options -None'.";
      if (!first) return "'Options None' must be the first Option given.";
      opts = [];
      allNone = true;
    } else if (lw === 'all') {
      if (action) return "You may not use 'Options +All' or 'Options -All'.";
      if (!first) return "'Options All' must be the first option given.";
      opts = ALL_OPTIONS;
      allNone = true;
    } else if (OPTION_NAMES[lw]) {
      opts = OPTION_NAMES[lw];
    } else {
      return `Illegal option ${w}`;
    }
    for (const o of opts) {
      if (action === '-') {
        remove.add(o);
        add.delete(o);
        set?.delete(o);
      } else if (action === '+') {
        add.add(o);
        remove.delete(o);
        set?.add(o);
      } else {
        set?.add(o);
      }
    }
    first = false;
  }
  d.options = set ? { set, add: new Set(), remove: new Set() } : { add, remove };
  return undefined;
}

/** `Options=…` inside AllowOverride (core.c set_allow_opts). */
function allowOpts(list: string): string | undefined {
  for (const w of list.split(',')) {
    if (w === '') continue;
    const lw = w.toLowerCase();
    if (!OPTION_NAMES[lw] && lw !== 'none' && lw !== 'all') return `Illegal option ${w}`;
  }
  return undefined;
}

/** `AllowOverride All|None|type …` (core.c set_override). */
export function allowOverride(cmd: Cmd, args: string[]) {
  if (cmd.checkContext(NOT_IN_LOCATION | NOT_IN_FILES)) {
    const { file, line } = cmd.node.loc;
    cmd.warn({ severity: 'warning', rule: 'httpd', code: 'AH00114', message: `Useless use of AllowOverride in line ${line} of ${file}.` });
  }
  let override = OR_NONE;
  for (const w of args) {
    const eq = w.indexOf('=');
    const k = (eq >= 0 ? w.slice(0, eq) : w).toLowerCase();
    const v = eq >= 0 ? w.slice(eq + 1) : undefined;
    if (k === 'limit' && v === undefined) override |= OR_LIMIT;
    else if (k === 'options') {
      override |= OR_OPTIONS;
      if (v !== undefined) {
        const err = allowOpts(v);
        if (err) return err;
      }
    } else if (k === 'fileinfo' && v === undefined) override |= OR_FILEINFO;
    else if (k === 'authconfig' && v === undefined) override |= OR_AUTHCFG;
    else if (k === 'indexes' && v === undefined) override |= OR_INDEXES;
    else if (k === 'nonfatal' && v !== undefined && /^(override|unknown|all)$/i.test(v)) continue;
    else if (k === 'none' && v === undefined) override = OR_NONE;
    else if (k === 'all' && v === undefined) override = OR_ALL;
    else return `Illegal override option ${w}`;
  }
  cd(cmd).allowOverride = override;
  return undefined;
}

export function allowOverrideList(cmd: Cmd, args: string[]) {
  cd(cmd).allowOverrideList = args.length === 1 && args[0].toLowerCase() === 'none' ? [] : [...args];
  return undefined;
}

export function setHandler(cmd: Cmd, [arg]: string[]) {
  cd(cmd).handler = arg.toLowerCase() === 'none' ? 'none' : arg;
  return undefined;
}

export function forceType(cmd: Cmd, [arg]: string[]) {
  cd(cmd).forceType = arg.toLowerCase() === 'none' ? 'none' : arg.toLowerCase();
  return undefined;
}

export function setFilters(field: 'outputFilters' | 'inputFilters') {
  return (cmd: Cmd, [arg]: string[]) => {
    cd(cmd)[field] = arg.split(';').filter((f) => f !== '');
    return undefined;
  };
}

/** Status codes httpd knows (http_protocol.c status_lines); others are "Unsupported". */
const KNOWN_STATUS = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400,
  401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422, 423, 424, 426, 428,
  429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/** httpd's ap_is_url: a scheme of alphanumerics, `+`, `-`, `.` followed by `:`. */
export function isUrl(s: string): boolean {
  return /^[A-Za-z0-9+.-]+:/.test(s);
}

/** `ErrorDocument code document` (core.c set_error_document). */
export function errorDocument(cmd: Cmd, [code, msg]: string[]) {
  const status = atoi(code);
  if (!KNOWN_STATUS.has(status)) return `Unsupported HTTP response code ${code}`;
  const kind = msg.includes(' ') ? 'text' : msg.startsWith('/') ? 'local' : isUrl(msg) ? 'remote' : 'text';
  if (status === 401 && kind === 'remote') {
    const { file, line } = cmd.node.loc;
    cmd.warn({
      severity: 'note',
      rule: 'httpd',
      code: 'AH00113',
      message: `${file}:${line} cannot use a full URL in a 401 ErrorDocument directive --- ignoring!`,
    });
    return undefined;
  }
  if (msg.toLowerCase() === 'default') {
    cd(cmd).errorDocuments.set(status, { kind: 'default', value: msg });
    return undefined;
  }
  const parsed = parseStringExpr(msg, { ssl: cmd.state.tree.loadedModules.includes('ssl_module') });
  if (!parsed.ok) return `Cannot parse expression in ErrorDocument: ${parsed.error}`;
  cd(cmd).errorDocuments.set(status, { kind, value: msg, expr: parsed.value });
  return undefined;
}

/** A keyword directive stored in the per-dir record, with httpd's message for anything else. */
export function keyword<K extends 'hostnameLookups' | 'useCanonicalName' | 'serverSignature' | 'acceptPathInfo'>(
  field: K,
  values: string[],
  message: string,
) {
  return (cmd: Cmd, [arg]: string[]) => {
    const a = arg.toLowerCase();
    if (!values.includes(a)) return message;
    (cd(cmd) as Record<K, string>)[field] = a;
    return undefined;
  };
}

export function onOff(field: 'enableMMAP' | 'enableSendfile' | 'useCanonicalPhysicalPort') {
  return (cmd: Cmd, [arg]: string[]) => {
    const a = arg.toLowerCase();
    if (a !== 'on' && a !== 'off') return "parameter must be 'on' or 'off'";
    cd(cmd)[field] = a === 'on';
    return undefined;
  };
}

export function addDefaultCharset(cmd: Cmd, [arg]: string[]) {
  const a = arg.toLowerCase();
  cd(cmd).addDefaultCharset = a === 'off' ? false : a === 'on' ? 'iso-8859-1' : arg;
  return undefined;
}

/** `LimitRequestBody bytes` (apr_strtoff, then a sign check). */
export function limitRequestBody(cmd: Cmd, [arg]: string[]) {
  const m = /^\s*([+-]?\d*)(.*)$/s.exec(arg) as RegExpExecArray;
  if (m[1] !== '' && m[1] !== '-' && m[1] !== '+') {
    const big = BigInt(m[1]);
    if (big > 9223372036854775807n || big < -9223372036854775808n) return 'LimitRequestBody argument is not parsable.';
  }
  const n = m[1] === '' || m[1] === '-' || m[1] === '+' ? 0 : Number(m[1]);
  if (m[2] !== '' || n < 0) return 'LimitRequestBody requires a non-negative integer.';
  cd(cmd).limitRequestBody = n;
  return undefined;
}

export function limitXMLRequestBody(cmd: Cmd, [arg]: string[]) {
  cd(cmd).limitXMLRequestBody = atoi(arg);
  return undefined;
}

const ETAG_KEYWORDS: Record<string, number> = {
  none: ETAG_NONE,
  all: ETAG_ALL,
  size: ETAG_SIZE,
  lmtime: ETAG_MTIME,
  mtime: ETAG_MTIME,
  lastmodified: ETAG_MTIME,
  inode: ETAG_INODE,
  digest: ETAG_DIGEST,
};

/** `FileETag` (core.c set_etag_bits): absolute keywords replace, `+`/`-` ones adjust what is inherited. */
export function fileETag(cmd: Cmd, args: string[]) {
  const prev = cd(cmd).etag;
  const cfg = { bits: prev?.bits ?? ETAG_UNSET, add: prev?.add ?? ETAG_UNSET, remove: prev?.remove ?? ETAG_UNSET };
  let first = true;
  let explicit = false;
  for (const word of args) {
    const action = word[0] === '+' || word[0] === '-' ? word[0] : '';
    const token = action ? word.slice(1) : word;
    const t = token.toLowerCase();
    if (!action && first) {
      // The first absolute keyword forgets the inherited and the relative settings.
      cfg.bits = cfg.add = cfg.remove = ETAG_UNSET;
      first = false;
    }
    const bit = ETAG_KEYWORDS[t];
    if (bit === undefined) return `Unknown keyword '${token}' for ${cmd.entry.name} directive`;
    if ((t === 'none' || t === 'all') && action) return `${cmd.entry.name} keyword '${token}' cannot be used with '+' or '-'`;
    if (t === 'none' || t === 'all') {
      cfg.bits = bit;
      explicit = true;
    } else if (action === '+') {
      cfg.add |= bit;
      cfg.remove &= ~bit;
    } else if (action === '-') {
      cfg.remove |= bit;
      cfg.add &= ~bit;
    } else {
      cfg.bits |= bit;
      cfg.add = cfg.remove = ETAG_UNSET;
      explicit = true;
    }
  }
  if (explicit && (cfg.bits & ETAG_NONE) !== ETAG_NONE) cfg.bits &= ~ETAG_NONE;
  cd(cmd).etag = cfg;
  return undefined;
}

/** `CGIVar REQUEST_URI original-uri|current-uri`. */
export function cgiVar(_cmd: Cmd, [name, rule]: string[]) {
  if (name !== 'REQUEST_URI') return `Unrecognized CGI variable: "${name}"`;
  if (rule !== 'original-uri' && rule !== 'current-uri') {
    return "Valid rules for REQUEST_URI are 'current-uri' and 'original-uri'";
  }
  return undefined;
}

export function defaultType(cmd: Cmd, [arg]: string[]) {
  const a = arg.toLowerCase();
  if (a !== 'off' && a !== 'none') {
    const { file, line } = cmd.node.loc;
    cmd.warn({ severity: 'warning', rule: 'httpd', code: 'AH00117', message: `Ignoring deprecated use of DefaultType in line ${line} of ${file}.` });
  }
  return undefined;
}
