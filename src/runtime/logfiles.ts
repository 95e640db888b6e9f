/**
 * Log destinations shared by the error log and the access logs: a file opened for appending
 * (one write per line, as httpd's unbuffered logs), a `|program` fed on its standard input, or
 * the process's own standard error / output for `/dev/stderr` and `/dev/stdout`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TextSink } from '../cli/io.js';
import { aprStatus } from '../util/fs.js';

export interface LogSink {
  write(line: string): void;
}

/** The open destinations of one configuration generation, de-duplicated by target. */
export class LogFiles {
  private readonly sinks = new Map<string, LogSink>();
  private readonly fds: number[] = [];
  private readonly children: ChildProcess[] = [];

  constructor(
    private readonly serverRoot: string,
    private readonly std: { stdout: TextSink; stderr: TextSink },
  ) {}

  /**
   * Opens (or reuses) a destination. Returns httpd's error text (without the AH id) when a file
   * cannot be opened.
   */
  open(target: string): { ok: true; sink: LogSink } | { ok: false; error: string; path: string } {
    const key = target.startsWith('|') ? target : this.resolve(target);
    const have = this.sinks.get(key);
    if (have) return { ok: true, sink: have };
    let sink: LogSink;
    if (key === '/dev/stderr') sink = { write: (l) => void this.std.stderr.write(l) };
    else if (key === '/dev/stdout') sink = { write: (l) => void this.std.stdout.write(l) };
    else if (key.startsWith('|')) {
      // httpd runs piped loggers through the shell ("|$" is the explicit form of the same).
      const cmd = key.slice(1).replace(/^\$/, '').trim();
      const child = spawn('/bin/sh', ['-c', cmd], { stdio: ['pipe', 'inherit', 'inherit'] });
      child.stdin?.on('error', () => {
        /* a logger that exited loses its lines, as with httpd */
      });
      child.on('error', () => {
        /* reported through lost lines */
      });
      this.children.push(child);
      sink = { write: (l) => void child.stdin?.write(l) };
    } else {
      let fd: number;
      try {
        fd = fs.openSync(key, 'a');
      } catch (e) {
        return { ok: false, error: aprStatus(e), path: key };
      }
      this.fds.push(fd);
      sink = {
        write: (l) => {
          try {
            fs.writeSync(fd, l);
          } catch {
            /* a full disk loses lines, as with httpd */
          }
        },
      };
    }
    this.sinks.set(key, sink);
    return { ok: true, sink };
  }

  resolve(target: string): string {
    if (target === '/dev/stderr' || target === '/dev/stdout') return target;
    return path.resolve(this.serverRoot, target);
  }

  async close(): Promise<void> {
    for (const fd of this.fds.splice(0)) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already closed */
      }
    }
    await Promise.all(
      this.children.splice(0).map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            const t = setTimeout(() => {
              c.kill('SIGTERM');
              resolve();
            }, 2000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            c.stdin?.end();
          }),
      ),
    );
    this.sinks.clear();
  }
}
