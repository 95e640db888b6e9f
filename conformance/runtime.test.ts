/**
 * Runtime conformance: every case in conformance/runtime/ (and runtime-pending/) is a config plus
 * requests, with what real Apache httpd answered and what reached its echo backends recorded in
 * case.json. Apache is run on every case to keep the recordings honest; featherd is run on the
 * cases in runtime/ and must produce the same observations.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  APACHE_BIN,
  APACHE_MISSING,
  CASES_DIR,
  PENDING_DIR,
  REPO_DIR,
  compareCase,
  compareObservation,
  listCases,
  pool,
  runCase,
  type RunResult,
  type RuntimeCase,
  type ServerKind,
} from './runtime/harness.mjs';

const live: RuntimeCase[] = listCases(CASES_DIR);
const pending: RuntimeCase[] = listCases(PENDING_DIR);
const FEATHERD_DIST = join(REPO_DIR, 'dist', 'cli', 'main.js');

type Outcome = { result: RunResult } | { error: string };
const outcomes = new Map<string, Outcome>();
const key = (kind: ServerKind, c: RuntimeCase): string => `${kind}:${c.dir}`;

beforeAll(async () => {
  const jobs: Array<[ServerKind, RuntimeCase]> = [];
  if (existsSync(APACHE_BIN)) for (const c of [...live, ...pending]) jobs.push(['apache', c]);
  if (existsSync(FEATHERD_DIST)) for (const c of live) jobs.push(['featherd', c]);
  await pool(jobs, 3, async ([kind, c]) => {
    try {
      outcomes.set(key(kind, c), { result: await runCase(c, kind) });
    } catch (err) {
      outcomes.set(key(kind, c), { error: err instanceof Error ? err.message : String(err) });
    }
  });
}, 240000);

function check(kind: ServerKind, c: RuntimeCase): void {
  const outcome = outcomes.get(key(kind, c));
  if (outcome === undefined) throw new Error(`${kind} was not run on ${c.name}`);
  if ('error' in outcome) throw new Error(`${c.dir}: ${kind} could not run the case: ${outcome.error}`);
  const diffs = compareCase(c, outcome.result.observations);
  if (diffs.length > 0) {
    throw new Error(`${c.dir}: ${kind} differs from case.json:\n  ${diffs.join('\n  ')}\n--- error.log ---\n${outcome.result.errorLog}`);
  }
  expect(diffs).toEqual([]);
}

test('real Apache httpd is installed', () => {
  if (!existsSync(APACHE_BIN)) throw new Error(APACHE_MISSING);
  expect(existsSync(APACHE_BIN)).toBe(true);
});

test('there are runtime cases, each with one recorded expectation per request', () => {
  const all = [...live, ...pending];
  expect(all.length).toBeGreaterThan(0);
  const names = all.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
  for (const c of all) {
    expect(c.spec.requests.length).toBeGreaterThan(0);
    expect(c.spec.expect?.length).toBe(c.spec.requests.length);
  }
});

test('the comparison reports every kind of difference', () => {
  const want = {
    status: 302,
    reason: 'Found',
    headers: { Location: 'http://127.0.0.1:${PORT}/a', 'Content-Length': true as const, 'X-Hop': null },
    bodyFromBackend: true,
    backend: { server: 1, method: 'GET', url: '/b', version: '1.1', headers: { Host: '${BACKEND1}', Connection: 'Keep-Alive', TE: null } },
  };
  expect(compareObservation(want, structuredClone(want))).toEqual([]);
  const connectionCase = structuredClone(want);
  connectionCase.backend.headers.Connection = 'keep-alive';
  expect(compareObservation(want, connectionCase)).toEqual([]);
  const got = {
    status: 301,
    reason: 'Moved Permanently',
    headers: { Location: 'http://127.0.0.1:${PORT}/b', 'X-Hop': '1', 'X-New': 'v' },
    body: 'other',
    backend: { server: 2, method: 'GET', url: '/c', version: '1.0', headers: { Host: '${BACKEND1}', TE: 'trailers' }, bodyLength: 3 },
  };
  const diffs = compareObservation(want, got);
  for (const part of ['status', 'reason', 'header Location', 'header Content-Length', 'header X-Hop', 'header X-New', 'body', 'server', 'url', 'version', 'bodyLength', 'header Connection', 'header TE']) {
    expect(diffs.some((d) => d.includes(part))).toBe(true);
  }
  expect(compareObservation({ status: 404, backend: null }, { status: 404, headers: {}, backend: got.backend })).toHaveLength(1);
});

if (live.length > 0) describe.each(live.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  test('Apache still answers as recorded', () => {
    if (!existsSync(APACHE_BIN)) throw new Error(APACHE_MISSING);
    check('apache', c);
  });
  test('featherd answers as Apache', () => {
    if (!existsSync(FEATHERD_DIST)) throw new Error(`${FEATHERD_DIST} is missing: run \`npm run build\` first`);
    check('featherd', c);
  });
});

if (pending.length > 0) describe.each(pending.map((c) => [c.name, c] as const))('pending %s', (_name, c) => {
  test('Apache still answers as recorded', () => {
    if (!existsSync(APACHE_BIN)) throw new Error(APACHE_MISSING);
    check('apache', c);
  });
});
