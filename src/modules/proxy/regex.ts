/**
 * httpd compiles ProxyPassMatch, <ProxyMatch> and ProxyRemoteMatch patterns with PCRE
 * (ap_pregcomp, AP_REG_EXTENDED), like every other configuration regex: the same translation
 * to JavaScript as the core module's is used. undefined = "could not be compiled".
 */
import { compileRegex as compileConfigRegex } from '../core/regex.js';

export function compileRegex(pattern: string): RegExp | undefined {
  return compileConfigRegex(pattern)?.regex;
}

/** Names of the named groups of a pattern, in order (httpd's ap_regname). */
export function groupNames(pattern: string): string[] {
  return compileConfigRegex(pattern)?.groupNames ?? [];
}
