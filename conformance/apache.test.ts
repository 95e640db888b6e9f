/**
 * Keeps the conformance expectations honest: every case (those featherd passes, in cases/, and
 * those it does not pass yet, in pending/) is run through real `apache2 -t`, and Apache's
 * normalised output and exit code must equal what case.json says.
 */
import { existsSync } from 'node:fs';
import {
  APACHE_BIN,
  APACHE_MISSING,
  CASES_DIR,
  PENDING_DIR,
  describeDiff,
  listCases,
  pool,
  runApache,
  type Case,
  type Expectation,
} from './tools/harness.mjs';

const cases: Case[] = [...listCases(CASES_DIR), ...listCases(PENDING_DIR)];
const observed = new Map<string, Expectation>();

beforeAll(async () => {
  if (!existsSync(APACHE_BIN)) return;
  const results = await pool(cases, 4, (c) => runApache(c));
  cases.forEach((c, i) => observed.set(c.name, results[i]));
}, 120000);

test('real Apache httpd is installed', () => {
  if (!existsSync(APACHE_BIN)) throw new Error(APACHE_MISSING);
  expect(existsSync(APACHE_BIN)).toBe(true);
});

test('there are conformance cases', () => {
  expect(cases.length).toBeGreaterThan(0);
  const names = cases.map((c) => c.name);
  expect(new Set(names).size).toBe(names.length);
});

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  test('Apache prints what case.json expects', () => {
    if (!existsSync(APACHE_BIN)) throw new Error(APACHE_MISSING);
    const got = observed.get(c.name);
    expect(got).toBeDefined();
    const want = c.spec.expect;
    if (got!.output !== want.output) {
      throw new Error(`${c.dir}: output differs (- case.json, + apache2):\n${describeDiff(want.output, got!.output)}`);
    }
    expect(got!.exit).toBe(want.exit);
    expect(got!.verdict).toBe(want.verdict);
  });
});
