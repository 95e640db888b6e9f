/**
 * featherd's configtest must print what real `apache2 -t` prints (case.json, recorded from Apache
 * and re-checked by apache.test.ts) for every case in conformance/cases/. Cases featherd does not
 * pass yet live in conformance/pending/ (checked against Apache only); `node
 * conformance/tools/featherd-status.mjs` lists them with their differences and moves the ones that
 * pass into cases/.
 */
import { runCli } from '../src/cli/main.js';
import {
  CASES_DIR,
  describeDiff,
  featherdExpectation,
  listCases,
  runFeatherd,
  type Case,
} from './tools/harness.mjs';

const cases: Case[] = listCases(CASES_DIR);

test('there are conformance cases featherd passes', () => {
  expect(cases.length).toBeGreaterThan(0);
});

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  test('featherd -t prints what apache2 -t prints', async () => {
    const got = await runFeatherd(c, runCli);
    const want = featherdExpectation(c.spec);
    if (got.output !== want.output) {
      throw new Error(`${c.dir}: output differs (- expected, + featherd):\n${describeDiff(want.output, got.output)}`);
    }
    expect(got.exit).toBe(want.exit);
    expect(got.verdict).toBe(want.verdict);
  });
});
