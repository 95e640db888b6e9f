/**
 * chevrotain, loaded from the single-file ES module build that the package ships
 * (lib/chevrotain.mjs) rather than from its package entry (lib/src/api.js), which imports
 * several hundred lodash-es modules one file at a time: about 0.2 s of every start of
 * featherd. Same package, same version, same API. Import chevrotain's values from here and
 * its types from 'chevrotain'.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function load(): Promise<Chevrotain> {
  try {
    // The package entry, <package>/lib/src/api.js; the bundle sits in <package>/lib/.
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    const bundle = path.join(path.dirname(entry), '..', 'chevrotain.mjs');
    if (existsSync(bundle)) return (await import(pathToFileURL(bundle).href)) as Chevrotain;
  } catch {
    // fall back to the package entry below
  }
  return import('chevrotain');
}

const chevrotain = await load();

export const createToken: Chevrotain['createToken'] = chevrotain.createToken;
export const createTokenInstance: Chevrotain['createTokenInstance'] = chevrotain.createTokenInstance;
export const createSyntaxDiagramsCode: Chevrotain['createSyntaxDiagramsCode'] = chevrotain.createSyntaxDiagramsCode;
export const Lexer: Chevrotain['Lexer'] = chevrotain.Lexer;
export const EmbeddedActionsParser: Chevrotain['EmbeddedActionsParser'] = chevrotain.EmbeddedActionsParser;
