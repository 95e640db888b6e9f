// Shared pieces of the configtest conformance suite: reading cases, running real Apache,
// normalising output so that Apache's and featherd's can be compared byte for byte.
// Used by the jest tests (conformance/*.test.ts) and by the command-line tools next to this file.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Cases featherd passes: run against both Apache and featherd. */
export const CASES_DIR = join(CONFORMANCE_DIR, 'cases');
/** Cases featherd does not pass yet: run against Apache only, until they move to cases/. */
export const PENDING_DIR = join(CONFORMANCE_DIR, 'pending');
export const APACHE_BIN = process.env.FEATHERD_APACHE_BIN ?? '/usr/sbin/apache2';
export const APACHE_MISSING =
  `${APACHE_BIN} not found: the conformance suite checks every expectation against real Apache httpd 2.4. ` +
  'Install it with `apt-get install apache2` (CI does).';

/** Read every case directory under `root` (sorted by name). */
export function listCases(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => readCase(join(root, name)));
}

/** Read one case directory. */
export function readCase(dir) {
  const abs = resolve(dir);
  const file = join(abs, 'case.json');
  const spec = JSON.parse(readFileSync(file, 'utf8'));
  return { name: abs.split('/').pop(), dir: abs, conf: join(abs, 'httpd.conf'), spec };
}

/** `-D NAME` flags from case.json's `defines`. */
export function defineArgs(spec) {
  return (spec.defines ?? []).flatMap((d) => ['-D', d]);
}

/** httpd's configtest arguments for a case (the program name is not included). */
export function configtestArgs(c) {
  return ['-t', '-d', c.dir, '-f', c.conf, ...defineArgs(c.spec)];
}

// `[Fri Nov 27 11:58:07.175387 2026] [core:warn] [pid 8056:tid 8056] ` (the tid part is optional).
const LOG_PREFIX = /^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4}\] \[[^\]]*\] \[pid \d+(?::tid \d+)?\] /;

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Normalise configtest output: drop the timestamp/module/pid prefix of logged lines, write the
 * case directory as `${CASE}` and the program name as `${ARGV0}`, drop trailing blank lines.
 * `argv0` is the name the program prints for itself (`apache2`, `featherd`).
 */
export function normaliseOutput(text, caseDir, argv0) {
  const dirs = [caseDir];
  try {
    const real = realpathSync(caseDir);
    if (real !== caseDir) dirs.push(real);
  } catch {
    // The directory may be gone already (temp copies); the given path is enough.
  }
  const argv0Re = new RegExp(`(^|\\s)${escapeRegExp(argv0)}:`, 'g');
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      let out = line.replace(LOG_PREFIX, '');
      for (const d of dirs) out = out.split(d).join('${CASE}');
      return out.replace(argv0Re, '$1${ARGV0}:');
    });
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n');
}

/** featherd prints httpd's lines, then (after a blank line) its own excerpt and hints: keep httpd's part. */
export function stripFeatherdExtras(text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const blank = lines.findIndex((l) => l.trim() === '');
  const kept = blank === -1 ? lines : lines.slice(0, blank);
  return kept.join('\n');
}

/** `ok` when the run exited 0 and printed `Syntax OK` last. */
export function verdictOf(output, exit) {
  const lines = output.split('\n');
  return exit === 0 && lines[lines.length - 1] === 'Syntax OK' ? 'ok' : 'error';
}

/** The environment Apache runs with: no APACHE_* variables, C locale, plus the case's own `env`. */
export function apacheEnv(spec) {
  const env = { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LC_ALL: 'C' };
  return { ...env, ...(spec.env ?? {}) };
}

/** Run a program, collecting stdout+stderr in arrival order. */
export function runProgram(bin, args, env, timeoutMs = 20000) {
  return new Promise((resolvePromise) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (b) => chunks.push(b));
    child.stderr.on('data', (b) => chunks.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolvePromise({ output: `spawn failed: ${err.message}`, exit: -1 });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ output: Buffer.concat(chunks).toString('utf8'), exit: code ?? (signal ? 128 : -1) });
    });
  });
}

/** Run `apache2 -t` on a case; returns the normalised observation. */
export async function runApache(c) {
  const { output, exit } = await runProgram(APACHE_BIN, configtestArgs(c), apacheEnv(c.spec));
  const norm = normaliseOutput(output, c.dir, 'apache2');
  return { verdict: verdictOf(norm, exit), output: norm, exit };
}

/** Map `items` through async `fn`, at most `limit` at a time, keeping order. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A compact line diff for failure messages. */
export function describeDiff(expected, actual) {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const out = [];
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] === a[i]) out.push(`  ${e[i]}`);
    else {
      if (e[i] !== undefined) out.push(`- ${e[i]}`);
      if (a[i] !== undefined) out.push(`+ ${a[i]}`);
    }
  }
  return out.join('\n');
}

/** featherd's configtest arguments for a case: httpd's, without lint findings. */
export function featherdArgs(c) {
  return ['-t', '--no-lint', '-d', c.dir, '-f', c.conf, ...defineArgs(c.spec)];
}

/** What featherd is expected to print for a case: Apache's output, unless case.json says it knowingly differs. */
export function featherdExpectation(spec) {
  return spec.featherd?.expect ?? spec.expect;
}

/**
 * Run featherd's configtest in-process with the given `runCli` (src/cli/main.ts, or dist/cli/main.js
 * for the command-line tools) and normalise its output as Apache's, after dropping featherd's own
 * excerpt/hint block (everything from the first blank line on).
 */
export async function runFeatherd(c, runCli) {
  let text = '';
  const sink = { write: (s) => { text += String(s); return true; } };
  const exit = await runCli(featherdArgs(c), { stdout: sink, stderr: sink, env: apacheEnv(c.spec), cwd: c.dir });
  const norm = normaliseOutput(stripFeatherdExtras(text), c.dir, 'featherd');
  return { verdict: verdictOf(norm, exit), output: norm, exit };
}
