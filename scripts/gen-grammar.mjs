#!/usr/bin/env node
// Regenerate grammar/diagrams.html from the chevrotain parser (run `npm run build` first).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'config', 'grammar.js');
if (!fs.existsSync(built)) {
  console.error(`gen-grammar: ${built} not found; run \`npm run build\` first`);
  process.exit(1);
}
const { syntaxDiagramsHtml } = await import(built);
const out = path.join(root, 'grammar', 'diagrams.html');
fs.writeFileSync(out, syntaxDiagramsHtml());
console.log(`wrote ${path.relative(root, out)}`);
