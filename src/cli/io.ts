/** Something text can be written to (process.stdout, a test buffer). */
export interface TextSink {
  write(chunk: string): unknown;
}

/** The process environment of one CLI run, so it can run in-process in tests. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  env: Record<string, string | undefined>;
  cwd: string;
}
