/**
 * `${NAME}` expansion of a logical line, as httpd's ap_resolve_env (server/core.c):
 * a value set with `Define NAME VALUE` wins (the Define table is looked up
 * case-insensitively, as an APR table), else the environment variable NAME; an undefined
 * name is left as written and reported (AH00111) unless it contains `:`. The substituted
 * text is not scanned again.
 */

export interface ExpandResult {
  text: string;
  /** Names that were not defined (and do not contain ':'), in order of appearance. */
  undefinedNames: string[];
}

export function expandVars(
  line: string,
  lookupDefine: (name: string) => string | undefined,
  env: Record<string, string | undefined>,
): ExpandResult {
  const undefinedNames: string[] = [];
  if (!line.includes('${')) return { text: line, undefinedNames };
  const text = line.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    const v = lookupDefine(name) ?? envValue(env, name);
    if (v !== undefined) return v;
    if (!name.includes(':')) undefinedNames.push(name);
    return whole;
  });
  return { text, undefinedNames };
}

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  // getenv() cannot see names containing '=' or NUL.
  if (name === '' || name.includes('=') || name.includes('\u0000')) return undefined;
  return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
}
