/** The config grammar as railroad diagrams (grammar/diagrams.html), generated from the parser. */
import { createSyntaxDiagramsCode } from './chevrotain.js';
import { grammarProductions } from './parser.js';

export function syntaxDiagramsHtml(): string {
  return createSyntaxDiagramsCode(grammarProductions());
}
