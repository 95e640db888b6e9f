// Types for harness.mjs (plain JavaScript so the command-line tools run without a build step).

export interface Expectation {
  verdict: 'ok' | 'error';
  /** Normalised output: no log prefixes, `${CASE}` for the case directory, `${ARGV0}` for the program name. */
  output: string;
  exit: number;
}

export interface CaseSpec {
  /** Where the config comes from (a manual page and example, or 'edge case'). */
  source: string;
  /** What real `apache2 -t` prints (recorded with tools/record.mjs, never typed by hand). */
  expect: Expectation;
  /** `-D NAME` flags. */
  defines?: string[];
  /** Extra environment variables for the run (none by default: no APACHE_* variables). */
  env?: Record<string, string>;
  /** Set only when featherd knowingly differs from Apache. */
  featherd?: { differs: string; expect?: Expectation };
}

export interface Case {
  name: string;
  /** Absolute path of the case directory (the ServerRoot, `-d`). */
  dir: string;
  /** Absolute path of its httpd.conf (`-f`). */
  conf: string;
  spec: CaseSpec;
}

export const CONFORMANCE_DIR: string;
export const CASES_DIR: string;
export const PENDING_DIR: string;
export const APACHE_BIN: string;
export const APACHE_MISSING: string;

export function listCases(root: string): Case[];
export function readCase(dir: string): Case;
export function defineArgs(spec: CaseSpec): string[];
export function configtestArgs(c: Case): string[];
export function normaliseOutput(text: string, caseDir: string, argv0: string): string;
export function stripFeatherdExtras(text: string): string;
export function verdictOf(output: string, exit: number): 'ok' | 'error';
export function apacheEnv(spec: Pick<CaseSpec, 'env'>): Record<string, string>;
export function runProgram(
  bin: string,
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs?: number,
): Promise<{ output: string; exit: number }>;
export function runApache(c: Case): Promise<Expectation>;
export function pool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]>;
export function describeDiff(expected: string, actual: string): string;

/** The CLI entry point featherd exposes (src/cli/main.ts `runCli`). */
export type RunCli = (
  argv: string[],
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown }; env: Record<string, string | undefined>; cwd: string },
) => Promise<number>;

export function featherdArgs(c: Case): string[];
export function featherdExpectation(spec: CaseSpec): Expectation;
export function runFeatherd(c: Case, runCli: RunCli): Promise<Expectation>;
