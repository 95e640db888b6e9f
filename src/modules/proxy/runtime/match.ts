/**
 * ProxyPass / ProxyPassMatch matching at request time, as mod_proxy's `proxy_trans` and
 * `ap_proxy_trans_match` do it (notes/proxy-semantics.md §2).
 *
 * Input types are small and independent of the config records so that a compiler can build
 * them once at load time.
 */

/** One ProxyPass / ProxyPassMatch entry (or the ProxyPass of a `<Location>`). */
export interface PassRule {
  /** `prefix` for ProxyPass, `regex` for ProxyPassMatch / `ProxyPass ~` / a regex Location path. */
  kind: 'prefix' | 'regex';
  /** The configured path (prefix) or the regex source (for messages and interpolation). */
  path: string;
  /** Compiled regex for `kind: 'regex'` (built once by the compiler). */
  regex?: RegExp;
  /** Target URL, or `!` for an exclusion. */
  url: string;
  nocanon?: boolean;
  noquery?: boolean;
  /** `mapping=encoded` (matched before %-decoding) or `mapping=servlet`. */
  mapping?: 'encoded' | 'servlet';
  /** `interpolate` flag: `${VAR}` in path and URL replaced when the per-dir InterpolateEnv is On. */
  interpolate?: boolean;
}

/** What the matcher needs to know about the request. */
export interface MatchRequest {
  /** `r->uri`: the path, already normalised and (except for the pre-translate pass) %-decoded. */
  uri: string;
  /** `r->unparsed_uri`: the raw request-target including the query string. */
  unparsedUri: string;
  /** Request environment (`r->subprocess_env`) for interpolation and `no-proxy`. */
  env?: ReadonlyMap<string, string>;
  /** `ProxyPassInterpolateEnv On` in the merged per-directory config. */
  interpolateEnv?: boolean;
  /**
   * Scheme modules' veto (`proxy_run_check_trans`): return false to skip a rule and try the next
   * (mod_proxy_wstunnel declines ws:// URLs without `Upgrade`).
   */
  checkTrans?: (url: string) => boolean;
}

export type MatchResult =
  | { kind: 'none' }
  /** An exclusion (`ProxyPass /x !`) matched: the request is not proxied. */
  | { kind: 'excluded'; rule: PassRule }
  | {
      kind: 'proxy';
      rule: PassRule;
      /** The target URL, not yet canonicalised (`r->filename` without `proxy:`). */
      url: string;
      /** note `proxy-nocanon`: the remainder was taken raw from the request-target. */
      nocanon: boolean;
      /** note `proxy-noencode` (mapping=encoded). */
      noencode: boolean;
      /** note `proxy-noquery`. */
      noquery: boolean;
      /** For mapping=servlet: the normalised path that replaces `r->uri`. */
      newUri?: string;
      /** AH01136 warning when nocanon had to be dropped. */
      warning?: string;
    }
  | { kind: 'error'; status: number; logMessage: string };

/**
 * httpd's `alias_match`: length of the URI prefix matched by `path`, 0 when it does not match.
 * A run of `/` in the path matches a run (at least one) of `/` in the URI; other characters
 * compare literally; a path not ending in `/` must be followed by end or `/` in the URI.
 */
export function aliasMatch(uri: string, path: string): number {
  const endAlias = path.length;
  const endUri = uri.length;
  let a = 0;
  let u = 0;
  while (a < endAlias && u < endUri) {
    if (path[a] === '/') {
      if (uri[u] !== '/') return 0;
      while (a < endAlias && path[a] === '/') a++;
      while (u < endUri && uri[u] === '/') u++;
    } else if (uri[u++] !== path[a++]) {
      return 0;
    }
  }
  if (u === endUri && a !== endAlias) return 0;
  // An empty configured path never advances; httpd reads aliasp[-1] there, which is not '/'.
  const lastAlias = a > 0 ? path[a - 1] : '';
  if (lastAlias !== '/' && u < endUri && uri[u] !== '/') return 0;
  return u;
}

/**
 * httpd's `ap_pregsub`: `$0`–`$9` replaced by the groups of `m` (unmatched → empty), `\x` → `x`.
 */
export function regSub(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    const next = template[i + 1];
    if (c === '$' && next !== undefined && next >= '0' && next <= '9') {
      out += m[Number(next)] ?? '';
      i++;
    } else if (c === '\\' && next !== undefined) {
      out += next;
      i++;
    } else {
      out += c;
    }
  }
  return out;
}

/** `proxy_interpolate`: `${VAR}` → env value, unknown → empty; an unterminated `${` is kept. */
export function interpolate(str: string, env: ReadonlyMap<string, string> | undefined): string {
  let out = '';
  let rest = str;
  for (;;) {
    const start = rest.indexOf('${');
    if (start < 0) return out + rest;
    const end = rest.indexOf('}', start + 2);
    if (end < 0) return out + rest;
    out += rest.slice(0, start) + (env?.get(rest.slice(start + 2, end)) ?? '');
    rest = rest.slice(end + 1);
  }
}

/**
 * httpd's `alias_match_servlet`: matches segment-wise after Servlet-style normalisation (path
 * parameters dropped, `//` collapsed, `/./` and `/../` resolved). Returns the matched length in
 * the original URI (0 = no match) and the normalised URI.
 */
export function aliasMatchServlet(uri: string, alias: string): { len: number; normalised: string } {
  const none = { len: 0, normalised: uri };
  if (uri[0] !== '/' || alias[0] !== '/') return none;
  const at = (s: string, i: number): string => (i >= 0 && i < s.length ? s[i] : '\0');
  const stack: number[] = [];
  const map: string[] = ['/'];
  let mapPos = 1;
  let uriPos = 1;
  let aliasPos = 1;
  let firstPos = 1;
  let aliasDepth = 0;
  while (at(uri, uriPos) !== '\0') {
    if (at(uri, uriPos) === ';') {
      do uriPos++;
      while (at(uri, uriPos) !== '/' && at(uri, uriPos) !== '\0');
      continue;
    }
    if (map[mapPos - 1] === '/') {
      if (at(uri, uriPos) === '/') {
        do uriPos++;
        while (at(uri, uriPos) === '/');
        continue;
      }
      if (at(uri, uriPos) === '.') {
        const n1 = at(uri, uriPos + 1);
        if (n1 === '/' || n1 === ';' || n1 === '\0') {
          uriPos++;
          if (at(uri, uriPos) === '/') uriPos++;
          continue;
        }
        const n2 = at(uri, uriPos + 2);
        if (n1 === '.' && (n2 === '/' || n2 === ';' || n2 === '\0')) {
          if (mapPos === 1) return none;
          do mapPos--;
          while (map[mapPos - 1] !== '/');
          map.length = mapPos;
          if (aliasDepth === stack.length) {
            if (at(alias, aliasPos) === '\0') aliasPos--;
            while (aliasPos > 0 && at(alias, aliasPos) === '/') aliasPos--;
            while (aliasPos > 0 && at(alias, aliasPos - 1) !== '/') aliasPos--;
            aliasDepth--;
          }
          stack.pop();
          uriPos += 2;
          if (at(uri, uriPos) === '/') uriPos++;
          firstPos = 0;
          continue;
        }
      }
      if (firstPos) {
        while (at(uri, firstPos) === '/') firstPos++;
      }
      stack.push(firstPos ? firstPos : uriPos);
      if (at(alias, aliasPos) !== '\0') {
        if (at(alias, aliasPos - 1) !== '/') {
          do aliasPos++;
          while (at(alias, aliasPos - 1) !== '/' && at(alias, aliasPos) !== '\0');
        }
        while (at(alias, aliasPos) === '/') aliasPos++;
        if (at(alias, aliasPos) !== '\0') aliasDepth++;
      }
    }
    if (at(alias, aliasPos) !== '\0') {
      const idx = aliasDepth - 1;
      if (stack[idx]) {
        if (at(alias, aliasPos) !== at(uri, uriPos)) {
          stack[idx] = 0;
        } else if (at(alias, aliasPos + 1) === '\0' && at(alias, aliasPos) !== '/') {
          if (at(uri, uriPos + 1) === ';') {
            stack[idx] = -(uriPos + 1);
          } else if (at(uri, uriPos + 1) !== '/' && at(uri, uriPos + 1) !== '\0') {
            stack[idx] = 0;
          }
        }
      }
      if (at(alias, aliasPos) !== '/' || at(uri, uriPos) === '/') aliasPos++;
    }
    if (at(uri, uriPos) === '/') firstPos = uriPos + 1;
    map[mapPos++] = uri[uriPos++];
    map.length = mapPos;
  }
  if (at(alias, aliasPos) !== '\0') return none;
  for (let d = 0; d < aliasDepth; d++) if (!stack[d]) return none;
  if (aliasDepth < stack.length) {
    uriPos = stack[aliasDepth];
    if (aliasDepth) {
      const pos = stack[aliasDepth - 1];
      if (pos < 0) uriPos = -pos;
    }
  }
  if (at(alias, aliasPos - 1) !== '/' && at(uri, uriPos - 1) === '/') uriPos--;
  return { len: uriPos, normalised: map.join('') };
}

/**
 * `ap_proxy_trans_match` for one rule. Returns `null` when the rule does not apply (httpd's
 * HTTP_CONTINUE: try the next rule).
 */
export function matchRule(rule: PassRule, req: MatchRequest): MatchResult | null {
  let nocanon = rule.nocanon === true;
  const useInterp = req.interpolateEnv === true && rule.interpolate === true;
  const fake = useInterp ? interpolate(rule.path, req.env) : rule.path;
  const real = useInterp ? interpolate(rule.url, req.env) : rule.url;
  let useUri = nocanon ? req.unparsedUri : req.uri;
  let mismatch = false;
  let found: string | undefined;
  let newUri: string | undefined;

  if (rule.kind === 'regex') {
    const re = rule.regex ?? new RegExp(fake);
    const m = execOnce(re, req.uri);
    if (!m) return null;
    if (real === '!') return { kind: 'excluded', rule };
    let groups = m;
    if (nocanon) {
      const raw = execOnce(re, req.unparsedUri);
      if (!raw) {
        mismatch = true;
        useUri = req.uri;
      } else {
        groups = raw;
      }
    }
    const sub = regSub(real, groups);
    if (sub.length > MAX_STRING_LEN) {
      return {
        kind: 'error',
        status: 500,
        logMessage: 'AH01135: Substitution in regular expression failed. Replacement too long?',
      };
    }
    found = sub !== real ? sub : real + useUri;
  } else {
    let len: number;
    if (rule.mapping === 'servlet') {
      const s = aliasMatchServlet(req.uri, fake);
      len = s.len;
      newUri = s.normalised;
      nocanon = false;
      useUri = req.uri;
    } else {
      len = aliasMatch(req.uri, fake);
    }
    if (len === 0) return null;
    if (real === '!') return { kind: 'excluded', rule };
    if (nocanon && len !== aliasMatch(req.unparsedUri, fake)) {
      mismatch = true;
      useUri = req.uri;
    }
    found = real + useUri.slice(len);
  }

  if (req.checkTrans && !req.checkTrans(found)) return null;
  const out: Extract<MatchResult, { kind: 'proxy' }> = {
    kind: 'proxy',
    rule,
    url: found,
    nocanon: nocanon && !mismatch,
    noencode: rule.mapping === 'encoded',
    noquery: rule.noquery === true,
  };
  if (newUri !== undefined) out.newUri = newUri;
  if (mismatch) out.warning = 'AH01136: Unescaped URL path matched ProxyPass; ignoring unsafe nocanon';
  return out;
}

/** httpd's HUGE_STRING_LEN-based limit on ap_pregsub results (AP_PREGSUB_MAXLEN = 8192*8). */
const MAX_STRING_LEN = 65536;

function execOnce(re: RegExp, s: string): RegExpExecArray | null {
  // A global/sticky regex keeps state between calls; matching must not depend on it.
  if (re.global || re.sticky) re.lastIndex = 0;
  return re.exec(s);
}

/** The rules of one request, in evaluation order. */
export interface PassRuleSet {
  /** ProxyPass of the merged `<Location>` context (checked first), if any. */
  location?: PassRule;
  /** Server rules: main server's first, then the vhost's, in configuration order. */
  server: readonly PassRule[];
}

/**
 * `proxy_trans`: the first matching rule wins; an exclusion stops the search.
 * `preTranslate` selects the pass: true = only `mapping=encoded` rules (on the encoded path),
 * false = all other rules (on the decoded path).
 */
export function matchPass(rules: PassRuleSet, req: MatchRequest, preTranslate = false): MatchResult {
  if (req.unparsedUri === '*' || !req.uri.startsWith('/')) return { kind: 'none' };
  if (req.env?.has('no-proxy')) return { kind: 'none' };
  const first = rules.location ? matchInPass(rules.location, req, preTranslate) : null;
  if (first) return first;
  for (const rule of rules.server) {
    const r = matchInPass(rule, req, preTranslate);
    if (r) return r;
  }
  return { kind: 'none' };
}

/** `matchRule` for a rule of the pass (`mapping=encoded` ones in the pre-translate pass only). */
function matchInPass(rule: PassRule, req: MatchRequest, preTranslate: boolean): MatchResult | null {
  return (rule.mapping === 'encoded') === preTranslate ? matchRule(rule, req) : null;
}
