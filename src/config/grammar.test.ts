import fs from 'node:fs';
import path from 'node:path';
import { syntaxDiagramsHtml } from './grammar.js';
import { grammarErrors, grammarProductions } from './parser.js';

const diagrams = path.resolve('grammar', 'diagrams.html');

test('grammar/diagrams.html is up to date with the parser (regenerate: npm run build && node scripts/gen-grammar.mjs)', () => {
  expect(fs.readFileSync(diagrams, 'utf8')).toBe(syntaxDiagramsHtml());
});

test('the EBNF names every parser rule', () => {
  const ebnf = fs.readFileSync(path.resolve('grammar', 'httpd-conf.ebnf'), 'utf8');
  const rules = grammarProductions().map((r) => (r as { name?: string }).name ?? '');
  expect(rules).toContain('config');
  for (const name of rules) {
    expect(ebnf).toMatch(new RegExp(`^${name}\\s*::=`, 'm'));
  }
});

test("chevrotain's checks of the grammar find nothing wrong (the reading parser skips them)", () => {
  expect(grammarErrors()).toEqual([]);
});
