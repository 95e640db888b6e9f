/**
 * Command-line parsing with httpd's rules (server/main.c + apr_getopt): short options may be
 * clustered (`-tS`), an option's argument may be joined (`-DFOO`) or separate (`-D FOO`),
 * parsing stops at `--` or at the first word that is not an option, and anything left over is a
 * usage error. featherd adds two long options: `--format text|json|sarif` and `--no-lint`.
 */

export type KAction = 'start' | 'restart' | 'graceful' | 'graceful-stop' | 'stop';
export type OutputFormat = 'text' | 'json' | 'sarif';

/** httpd's log levels, most severe first (LogLevel / -e). */
export const LOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface CliOptions {
  /** -f: the config file as given (relative paths are ServerRoot-relative). */
  configFile?: string;
  /** -d: the initial ServerRoot as given. */
  serverRoot?: string;
  /** -D names in order (plus DUMP_* added by -S/-M and DEBUG added by -X), as httpd's ap_server_config_defines. */
  defines: string[];
  /** -C directives. */
  preDirectives: string[];
  /** -c directives. */
  postDirectives: string[];
  /** -t, or a DUMP_* define that implies it. */
  configTestOnly: boolean;
  /** -L: list directives after reading the configuration. */
  listDirectives: boolean;
  /** -e: the level of startup messages shown (default warn). */
  logLevel: LogLevel;
  /** -E: startup messages go to this file instead of stderr. */
  errorLogFile?: string;
  /** -T: no DocumentRoot check. */
  noDocumentRootCheck: boolean;
  /** -k action. */
  signal?: KAction;
  /** -X given. */
  debugMode: boolean;
  format: OutputFormat;
  lint: boolean;
}

/** What to do right away (httpd handles -v/-V/-l/-h while parsing, before reading any config). */
export type ParseOutcome =
  | { kind: 'run'; options: CliOptions }
  | { kind: 'version' }
  | { kind: 'compile-settings' }
  | { kind: 'compiled-modules' }
  | { kind: 'usage'; message?: string };

const WITH_ARG = new Set(['C', 'c', 'D', 'd', 'E', 'e', 'f', 'k']);
const FLAGS = new Set(['v', 'V', 'l', 'L', 't', 'T', 'S', 'M', 'h', '?', 'X']);
const K_ACTIONS: readonly string[] = ['start', 'restart', 'graceful', 'graceful-stop', 'stop'];

/** httpd's -e parsing: exact names, except that `err…` and `warn…` match by prefix. */
export function parseLogLevel(s: string): LogLevel | undefined {
  const v = s.toLowerCase();
  if (v.startsWith('err')) return 'error';
  if (v.startsWith('warn')) return 'warn';
  return (LOG_LEVELS as readonly string[]).includes(v) ? (v as LogLevel) : undefined;
}

export function parseArgs(argv: string[], argv0 = 'featherd'): ParseOutcome {
  const o: CliOptions = {
    defines: [],
    preDirectives: [],
    postDirectives: [],
    configTestOnly: false,
    listDirectives: false,
    logLevel: 'warn',
    noDocumentRootCheck: false,
    debugMode: false,
    format: 'text',
    lint: true,
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      i++;
      break;
    }
    if (word.startsWith('--')) {
      const [name, inline] = splitLong(word);
      if (name === '--no-lint') {
        if (inline !== undefined) return { kind: 'usage', message: `${argv0}: option '--no-lint' takes no argument` };
        o.lint = false;
        continue;
      }
      if (name === '--format') {
        let value = inline;
        if (value === undefined) {
          if (i + 1 >= argv.length) return { kind: 'usage', message: `${argv0}: option requires an argument -- format` };
          value = argv[++i];
        }
        if (value !== 'text' && value !== 'json' && value !== 'sarif') {
          return { kind: 'usage', message: `${argv0}: invalid --format '${value}' (expected text, json or sarif)` };
        }
        o.format = value;
        continue;
      }
      return { kind: 'usage', message: `${argv0}: unrecognized option '${name}'` };
    }
    if (!word.startsWith('-') || word === '-') break;
    // A cluster of short options: -tS, -DFOO, -f file.
    for (let j = 1; j < word.length; j++) {
      const c = word[j];
      if (WITH_ARG.has(c)) {
        let arg: string;
        if (j + 1 < word.length) arg = word.slice(j + 1);
        else if (i + 1 < argv.length) arg = argv[++i];
        else return { kind: 'usage', message: `${argv0}: option requires an argument -- ${c}` };
        const r = applyWithArg(o, c, arg);
        if (r) return r;
        break;
      }
      if (!FLAGS.has(c)) return { kind: 'usage', message: `${argv0}: illegal option -- ${c}` };
      switch (c) {
        case 'v':
          return { kind: 'version' };
        case 'V':
          return { kind: 'compile-settings' };
        case 'l':
          return { kind: 'compiled-modules' };
        case 'h':
        case '?':
          return { kind: 'usage' };
        case 'L':
          o.listDirectives = true;
          break;
        case 't':
          o.configTestOnly = true;
          break;
        case 'T':
          o.noDocumentRootCheck = true;
          break;
        case 'S':
          o.configTestOnly = true;
          o.defines.push('DUMP_VHOSTS', 'DUMP_RUN_CFG');
          break;
        case 'M':
          o.configTestOnly = true;
          o.defines.push('DUMP_MODULES');
          break;
        case 'X':
          o.debugMode = true;
          o.defines.push('DEBUG');
          break;
      }
    }
  }
  if (i < argv.length) return { kind: 'usage' };
  return { kind: 'run', options: o };
}

function splitLong(word: string): [string, string | undefined] {
  const eq = word.indexOf('=');
  return eq < 0 ? [word, undefined] : [word.slice(0, eq), word.slice(eq + 1)];
}

function applyWithArg(o: CliOptions, c: string, arg: string): ParseOutcome | undefined {
  switch (c) {
    case 'C':
      o.preDirectives.push(arg);
      break;
    case 'c':
      o.postDirectives.push(arg);
      break;
    case 'd':
      o.serverRoot = arg;
      break;
    case 'f':
      o.configFile = arg;
      break;
    case 'E':
      o.errorLogFile = arg;
      break;
    case 'D':
      o.defines.push(arg);
      // httpd: these defines alone make the run a configuration test.
      if (arg === 'DUMP_VHOSTS' || arg === 'DUMP_RUN_CFG' || arg === 'DUMP_MODULES' || arg === 'DUMP_INCLUDES') {
        o.configTestOnly = true;
      }
      break;
    case 'e': {
      const level = parseLogLevel(arg);
      if (!level) return { kind: 'usage' };
      o.logLevel = level;
      break;
    }
    case 'k':
      if (!K_ACTIONS.includes(arg)) return { kind: 'usage' };
      o.signal = arg as KAction;
      break;
  }
  return undefined;
}
