/**
 * The typed syntax tree of an httpd-style configuration.
 *
 * Two layers:
 *  - `Raw*` nodes are what the grammar (src/config/parser.ts) produces for one file: logical
 *    lines and nested sections, exactly as written (no `${VAR}` expansion, no includes).
 *  - `Config*` nodes are what the reader (src/config/reader.ts) produces for a whole
 *    configuration: includes spliced in, conditionals (`<IfModule>`, `<IfDefine>`, …) evaluated
 *    and removed, `${VAR}` expanded, arguments split into words as httpd's ap_getword_conf does.
 */

/** A position in a config file. `line` and `column` are 1-based. */
export interface Loc {
  file: string;
  line: number;
  column: number;
}

/** One logical line that is not a section tag, before variable expansion. */
export interface RawDirective {
  kind: 'directive';
  /** The first word as written (may contain `${…}`). */
  name: string;
  /** The rest of the logical line after the name, leading whitespace removed. */
  rawArgs: string;
  /** The whole trimmed logical line (continuations joined), as httpd sees it before expansion. */
  text: string;
  /** Where the name starts. `line` is the LAST physical line of the logical line (httpd reports that). */
  loc: Loc;
  /** First physical line of the logical line (differs from loc.line when `\` continuations were used). */
  firstLine: number;
}

/** `<Name args>` … `</Name>`, before variable expansion. */
export interface RawSection {
  kind: 'section';
  /** The name without `<` as written (`Location`, `ifmodule`, …). */
  name: string;
  /** Everything after `<Name` on the opening line, leading whitespace removed, including the closing `>`. */
  rawArgs: string;
  text: string;
  loc: Loc;
  firstLine: number;
  /** Location of the end tag (the opening tag's location when the file ended first). */
  endLoc: Loc;
  children: RawNode[];
  /** The end tag line as written (trimmed); undefined when the file ended before it. */
  endText?: string;
  /** What httpd would say about the end tag judged on the unexpanded text (mismatch, missing `>`). */
  endError?: string;
}

/** A line httpd rejects while building the tree: an end tag with no open section, a line too long. */
export interface RawError {
  kind: 'error';
  message: string;
  /** The trimmed logical line. */
  text: string;
  loc: Loc;
  firstLine: number;
}

export type RawNode = RawDirective | RawSection | RawError;

/** One parsed file. */
export interface RawFile {
  file: string;
  nodes: RawNode[];
}

/** A directive after reading: expanded, split into words. */
export interface ConfigDirective {
  kind: 'directive';
  /** Name as written (after expansion). Look it up case-insensitively. */
  name: string;
  /** Arguments split into words (ap_getword_conf rules). Empty quoted words are kept as ''. */
  args: string[];
  /** The argument text after expansion, for RAW_ARGS directives. */
  rawArgs: string;
  loc: Loc;
  /** Include directives that led to this file, outermost first (empty for the main file). */
  includedFrom: Loc[];
}

/** A section after reading. */
export interface ConfigSection {
  kind: 'section';
  /** Name without `<`, as written (after expansion). */
  name: string;
  /** Words of the argument text before the last `>` (or of the whole text if there is no `>`). */
  args: string[];
  /** The argument text after expansion, including the closing `>` if present. */
  rawArgs: string;
  /** Whether the opening tag had a closing `>` (httpd: "<X> directive missing closing '>'" otherwise). */
  closed: boolean;
  loc: Loc;
  endLoc: Loc;
  includedFrom: Loc[];
  children: ConfigNode[];
}

export type ConfigNode = ConfigDirective | ConfigSection;

/** The whole configuration after reading. */
export interface ConfigTree {
  /** Absolute path of the main config file. */
  mainFile: string;
  /** ServerRoot in effect at the end of reading. */
  serverRoot: string;
  nodes: ConfigNode[];
  /** Every file read, in reading order (main file first). */
  files: string[];
  /**
   * Every file read, in reading order, with the Include directives that led to it (outermost
   * first; empty for the main file). Unlike the nodes' `includedFrom`, it also lists the files
   * that contain no directive (what `-t -D DUMP_INCLUDES` prints).
   */
  includes?: { file: string; includedFrom: Loc[] }[];
  /** Names tested by `<IfDefine>` (from -D and Define), in order. */
  defines: string[];
  /** Values set with `Define NAME VALUE`. */
  variables: Map<string, string>;
  /** Module identifiers (`proxy_module`) loaded, in order: built-ins first, then LoadModule. */
  loadedModules: string[];
  /**
   * httpd's config-dump run mode (AP_SQ_RM_CONFIG_DUMP): a DUMP_* name given with -D on the
   * command line (or -S/-M). mod_ssl does not check its certificate and key files then.
   */
  configDump?: boolean;
  /** DefaultRuntimeDir in effect at the end of reading (absolute), if set. */
  runtimeDir?: string;
  /** Files named by LoadFile, ServerRoot-relative paths made absolute (accepted, not loaded). */
  loadFiles?: string[];
}
