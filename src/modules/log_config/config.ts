import type { Loc } from '../../config/ast.js';
import type { LogItem } from './format.js';
import type { Expr } from '../../expr/index.js';

/** httpd's default format when none is set: the Common Log Format. */
export const DEFAULT_LOG_FORMAT = '%h %l %u %t "%r" %>s %b';

/** One CustomLog / TransferLog / GlobalLog. */
export interface LogTarget {
  /** File path (ServerRoot-relative resolved), `|program`, or `syslog…` as written. */
  target: string;
  /**
   * The format argument as written: a nickname defined with LogFormat, or a format string.
   * undefined for TransferLog (the server's default format).
   */
  format?: string;
  /** `format` parsed as a format string (httpd uses it when no nickname of that name exists). */
  items?: LogItem[];
  /** `env=[!]VAR` */
  env?: { name: string; negate: boolean };
  /** `expr=…`, as written and parsed. */
  expr?: string;
  parsed?: Expr;
  /** GlobalLog: also written for every virtual host. */
  global: boolean;
  loc: Loc;
}

/** mod_log_config's per-server record. */
export interface LogConfigServer {
  /** Named formats from `LogFormat fmt name`. */
  formats: Map<string, { format: string; items: LogItem[] }>;
  /** `LogFormat fmt` (one argument): the default for TransferLog. */
  defaultFormat?: { format: string; items: LogItem[] };
  logs: LogTarget[];
  bufferedLogs?: boolean;
}

export function createLogConfigServer(): LogConfigServer {
  return { formats: new Map(), logs: [] };
}
