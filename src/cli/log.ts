import type { Diagnostic } from '../util/diagnostics.js';
import { LOG_LEVELS, type LogLevel } from './args.js';

/**
 * Startup messages as httpd writes them to stderr.
 *
 * Most warnings go through the error log with a prefix:
 *   `[Fri Nov 27 11:59:33.716849 2026] [core:warn] [pid 11562:tid 11562] AH00111: …`
 * and are filtered by `-e` / LogLevel. A few are logged at "startup" level, without prefix and
 * never filtered (e.g. `AH00112: Warning: DocumentRoot [/x] does not exist`).
 */

/** httpd message ids logged without prefix (APLOG_STARTUP). */
const PLAIN_CODES = new Set(['AH00112', 'AH00558', 'AH00534', 'AH00014', 'AH00526', 'AH01624']);

/** The module shown in `[module:level]` for message ids not raised by core. */
const CODE_MODULE: Record<string, string> = {
  AH01146: 'proxy',
  AH01145: 'proxy',
  AH01150: 'proxy',
  AH01574: 'so',
  AH02532: 'ssl',
  AH00671: 'alias',
  AH02813: 'core',
  AH00549: 'core',
};

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Microseconds since the epoch, finer than Date.now(). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/** httpd's error log time stamp: `Fri Nov 27 11:59:33.716849 2026` (local time, microseconds). */
export function logTimestamp(micros: number): string {
  const d = new Date(Math.floor(micros / 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(micros % 1_000_000, 6)} ${d.getFullYear()}`
  );
}

export function severityLevel(d: Diagnostic): LogLevel {
  return d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warn' : 'notice';
}

/** Whether a message of `level` is shown at the `-e` threshold. */
export function levelShown(level: LogLevel, threshold: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(threshold);
}

/** One httpd-style startup line for a diagnostic httpd itself would print, or undefined when filtered out. */
export function httpdLogLine(d: Diagnostic, threshold: LogLevel, micros = nowMicros(), pid = process.pid): string | undefined {
  const text = d.code ? `${d.code}: ${d.message}` : d.message;
  if (d.code && PLAIN_CODES.has(d.code)) return text;
  const level = severityLevel(d);
  if (!levelShown(level, threshold)) return undefined;
  const module = (d.code && CODE_MODULE[d.code]) || 'core';
  return `[${logTimestamp(micros)}] [${module}:${level}] [pid ${pid}:tid ${pid}] ${text}`;
}

/** Print httpd's own startup warnings (rule `httpd`) in its format. */
export function printWarnings(diags: Diagnostic[], write: (s: string) => void, threshold: LogLevel): void {
  for (const d of diags) {
    if (d.rule !== 'httpd') continue;
    const line = httpdLogLine(d, threshold);
    if (line !== undefined) write(line + '\n');
  }
}
