/** Property tests: the line splitter, word splitter, parser and reader never throw. */
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawNode } from './ast.js';
import { allLogicalLines, logicalLines } from './lines.js';
import { parseConfigText } from './parser.js';
import { readConfig } from './reader.js';
import { formatConfigError, loadConfig } from './load.js';
import { testRegistry } from './test-registry.js';
import { getWordConf, splitWords, splitWords2, WordTable } from './words.js';

/** Config-like text: section tags, quotes, backslashes, variables, comments, line ends. */
const piece = fc.constantFrom(
  '<Location /a>',
  '</Location>',
  '<IfModule mod_so.c>',
  '<IfModule !nope.c>',
  '<IfModule nope.c>',
  '</IfModule>',
  '</IfModule >',
  '<IfDefine X>',
  '</IfDefine>',
  '<IfVersion >= 2.4>',
  '</IfVersion>',
  '<Directory',
  '</Directory foo>',
  'Define X "a b"',
  'UnDefine X',
  'Define a:b',
  'ServerAdmin ${X}',
  'Foo "unterminated',
  "Bar 'x\\'y'",
  'Baz a\\',
  '\\',
  '#',
  '# c \\',
  '""',
  '"a"b',
  '${',
  '${}',
  'Include',
  'IncludeOptional /nonexist/*.conf',
  'LoadModule proxy_module x.so',
  'LoadModule so_module x.so',
  '<IfFile !/nonexist>',
  '</IfFile>',
  '<',
  '</',
  '>',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
  '\u0000',
);
const configText = fc.oneof(fc.array(piece, { maxLength: 40 }).map((a) => a.join('')), fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }));

function allHaveLoc(nodes: RawNode[]): boolean {
  return nodes.every((n) => n.loc.line >= 1 && n.loc.column >= 1 && (n.kind !== 'section' || allHaveLoc(n.children)));
}

describe('never throws', () => {
  test('lines', () => {
    fc.assert(
      fc.property(configText, (text) => {
        const all = allLogicalLines(text);
        const some = logicalLines(text);
        expect(some.length).toBeLessThanOrEqual(all.length);
        for (const l of all) expect(l.lastLine).toBeGreaterThanOrEqual(l.firstLine);
      }),
      { numRuns: 300 },
    );
  });

  test('words', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        splitWords(text);
        splitWords2(text);
      }),
      { numRuns: 500 },
    );
  });

  test('splitWords splits as repeated getWordConf (ap_getword_conf) calls, up to the end given', () => {
    const text = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '"', "'", '\\', 'a', 'b', '>', '$', '{'), maxLength: 40 });
    const byGetWord = (t: string): string[] => {
      const words: string[] = [];
      let pos = 0;
      while (/[^ \t\n\v\f\r]/.test(t.slice(pos))) {
        const r = getWordConf(t, pos);
        words.push(r.word);
        pos = r.next;
      }
      return words;
    };
    fc.assert(
      fc.property(text, fc.nat(40), (t, cut) => {
        const end = Math.min(cut, t.length);
        expect(splitWords(t)).toEqual(byGetWord(t));
        expect(splitWords(t, end)).toEqual(byGetWord(t.slice(0, end)));
        expect(splitWords(t, undefined, new WordTable())).toEqual(byGetWord(t));
      }),
      { numRuns: 2000 },
    );
  });

  test('parser: every node has a location', () => {
    fc.assert(
      fc.property(configText, (text) => {
        const r = parseConfigText(text, '/x/h.conf');
        expect(allHaveLoc(r.raw.nodes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test('parser: the grammar finds the sections a plain stack of open tags finds', () => {
    // The oracle: each logical line is a directive, an opening tag (pushed) or an end tag
    // (closes the innermost open section; with none open, an error node).
    type Shape = [string, number, Shape[]?];
    const byStack = (text: string): Shape[] => {
      const root: Shape[] = [];
      const open: Shape[][] = [root];
      for (const l of logicalLines(text)) {
        const into = open[open.length - 1];
        if (l.text.startsWith('</')) {
          if (open.length > 1) open.pop();
          else into.push(['error', l.lastLine]);
        } else if (l.text.startsWith('<')) {
          const children: Shape[] = [];
          into.push(['section', l.lastLine, children]);
          open.push(children);
        } else {
          into.push(['directive', l.lastLine]);
        }
      }
      return root;
    };
    const shapeOf = (nodes: RawNode[]): Shape[] =>
      nodes.map((n): Shape => (n.kind === 'section' ? ['section', n.loc.line, shapeOf(n.children)] : [n.kind, n.loc.line]));
    const line = fc.constantFrom('Foo a', 'Bar "b c"', 'Baz \\', '<S x>', '</S>', '<T>', '</T >', '</U>', '# c', '', '  ');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const text = lines.join('\n');
        expect(shapeOf(parseConfigText(text, '/x/h.conf').raw.nodes)).toEqual(byStack(text));
      }),
      { numRuns: 1000 },
    );
  });

  test('reader and loader: errors come as values, with a location unless plain', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'featherd-prop-'));
    try {
      const file = path.join(root, 'httpd.conf');
      fc.assert(
        fc.property(configText, (text) => {
          fs.writeFileSync(file, text);
          const r = readConfig({ file, serverRoot: root, registry: testRegistry(), env: {} });
          if (!r.result.ok) {
            const e = r.result.error;
            expect(e.phase).not.toBe('plain');
            expect(e.loc).toBeDefined();
            expect(e.loc!.line).toBeGreaterThanOrEqual(1);
            expect(typeof formatConfigError(e)).toBe('string');
          }
          const l = loadConfig({ file, serverRoot: root, registry: testRegistry(), env: {} });
          if (l.error && l.error.phase !== 'plain') expect(l.error.loc).toBeDefined();
        }),
        { numRuns: 300 },
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
