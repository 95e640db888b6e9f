/**
 * Parser for httpd's expression language (ap_expr), as used by `<If>`, `Require expr`,
 * `Header … expr=…`, `SetEnvIfExpr`, `RewriteCond expr`, `ProxyHCExpr`, and string
 * expressions (`LogMessage`, `ErrorDocument`, `Header … "expr=%{…}"`-style values).
 *
 * Grammar (httpd 2.4, server/util_expr_parse.y; full EBNF in grammar/ap_expr.ebnf):
 *
 *   cond    ::= or
 *   or      ::= and ( ("||" | "or") or )?              right-associative, lowest
 *   and     ::= not ( ("&&" | "and") and )?
 *   not     ::= ("!" | "not") not | primary
 *   primary ::= "true" | "false" | "(" cond ")" | UNARY word
 *             | word ( cmpop word | BINARY word | ("-in" | "in") list | ("=~" | "!~") regex )
 *   word    ::= atom ( "." word )?
 *   atom    ::= DIGIT | var | "$"[0-9] | ID "(" word ")" | quote string? quote
 *   var     ::= "%{" ID "}" | "%{" ID ":" string "}"
 *   list    ::= "{" word ("," word)* "}" | ID "(" word ")"
 *   string  ::= ( TEXT | var | "$"[0-9] )+             (the whole text of a string expression)
 *
 * The chevrotain parser below builds the tree and resolves names on the way. When it, the
 * scanner or a lookup fails, the same tokens are replayed through an automaton of httpd's own
 * bison parser (lr.ts) to produce httpd's exact message, e.g.
 * `syntax error, unexpected $end, expecting T_OP_OR or T_OP_AND or ')'` or
 * `Variable 'X' does not exist`. httpd's `<If>` prefixes it with `Cannot parse condition clause: `.
 */
import type { IToken, TokenType } from 'chevrotain';
import { createToken, createTokenInstance, EmbeddedActionsParser } from '../config/chevrotain.js';
import type { Result } from '../util/diagnostics.js';
import { compileRegex } from '../modules/core/regex.js';
import type { CompareOp, Cond, Expr, RegexLiteral, Word, WordList } from './ast.js';
import { scan, TERMINALS, type Tok, type TokName } from './lexer.js';
import { lookupBinary, lookupListFunc, lookupStringFunc, lookupUnary, lookupVar, type Lookup, type ParseOptions } from './lookup.js';
import { diagnose } from './lr.js';

/** The message httpd prints (and then exits) when its scanner jams, e.g. on a quote inside `%{NAME:…}`. */
export const EXPR_SCANNER_JAMMED = 'flex scanner jammed';

/**
 * The terminals the grammar consumes: all of bison's but `$end`, the start markers
 * T_EXPR_BOOL/T_EXPR_STRING and the scanner's T_ERROR.
 */
const NOT_PARSED: readonly TokName[] = ['$end', 'T_EXPR_BOOL', 'T_EXPR_STRING', 'T_ERROR'];
const PARSER_TOKENS: TokName[] = TERMINALS.filter((n) => !NOT_PARSED.includes(n));

const T = Object.fromEntries(PARSER_TOKENS.map((n) => [n, createToken({ name: n, pattern: /NOT_USED/ })])) as Record<
  string,
  TokenType
>;

const COMPARE_TOKENS: [TokName, CompareOp][] = [
  ['T_OP_EQ', 'eq'],
  ['T_OP_NE', 'ne'],
  ['T_OP_LT', 'lt'],
  ['T_OP_LE', 'le'],
  ['T_OP_GT', 'gt'],
  ['T_OP_GE', 'ge'],
  ['T_OP_STR_EQ', '=='],
  ['T_OP_STR_NE', '!='],
  ['T_OP_STR_LT', '<'],
  ['T_OP_STR_LE', '<='],
  ['T_OP_STR_GT', '>'],
  ['T_OP_STR_GE', '>='],
];
const COMPARE_BY_TYPE = new Map(COMPARE_TOKENS.map(([n, op]) => [T[n], op]));

const DUMMY_COND: Cond = { kind: 'false' };

const constantOf = (w: Word): string | undefined => (w.kind === 'string' ? w.value : undefined);

function concat(parts: Word[]): Word {
  const flat = parts.flatMap((p) => (p.kind === 'concat' ? p.parts : [p]));
  return flat.length === 1 ? flat[0] : { kind: 'concat', parts: flat };
}

class ExprParser extends EmbeddedActionsParser {
  opts: ParseOptions = {};
  /** A lookup or regex failed; the replay in lr.ts gives the message. */
  failed = false;

  constructor() {
    super(Object.values(T), { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  private check<V>(r: Lookup<V>, fallback: V): V {
    if (r.ok) return r.value;
    this.failed = true;
    return fallback;
  }

  public boolRoot = this.RULE('boolRoot', (): Cond => this.SUBRULE(this.orExpr));

  public stringRoot = this.RULE('stringRoot', (): Word => this.SUBRULE(this.string));

  private orExpr: () => Cond = this.RULE('orExpr', (): Cond => {
    const left = this.SUBRULE(this.andExpr);
    let right: Cond | undefined;
    this.OPTION(() => {
      this.CONSUME(T.T_OP_OR);
      right = this.SUBRULE(this.orExpr);
    });
    return right ? { kind: 'or', left, right } : left;
  });

  private andExpr: () => Cond = this.RULE('andExpr', (): Cond => {
    const left = this.SUBRULE(this.notExpr);
    let right: Cond | undefined;
    this.OPTION(() => {
      this.CONSUME(T.T_OP_AND);
      right = this.SUBRULE(this.andExpr);
    });
    return right ? { kind: 'and', left, right } : left;
  });

  private notExpr: () => Cond = this.RULE('notExpr', (): Cond =>
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.T_OP_NOT);
          const arg = this.SUBRULE(this.notExpr);
          return { kind: 'not', arg } as Cond;
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]),
  );

  private primary = this.RULE('primary', (): Cond =>
    this.OR([
      { ALT: () => (this.CONSUME(T.T_TRUE), { kind: 'true' } as Cond) },
      { ALT: () => (this.CONSUME(T.T_FALSE), { kind: 'false' } as Cond) },
      {
        ALT: () => {
          this.CONSUME(T["'('"]);
          const inner = this.SUBRULE(this.orExpr);
          this.CONSUME(T["')'"]);
          return inner;
        },
      },
      {
        ALT: () => {
          const op = this.CONSUME(T.T_OP_UNARY);
          const arg = this.SUBRULE(this.word);
          return this.ACTION(() => {
            const info = this.check(lookupUnary(op.image, constantOf(arg), this.opts), undefined);
            return info ? ({ kind: 'unary', op: info.op, arg, subnet: info.subnet } as Cond) : DUMMY_COND;
          });
        },
      },
      { ALT: () => this.SUBRULE(this.comparison) },
    ]),
  );

  private comparison = this.RULE('comparison', (): Cond => {
    const left = this.SUBRULE(this.word);
    return this.OR([
      {
        ALT: () => {
          const op = this.OR2(
            COMPARE_TOKENS.map(([n]) => ({ ALT: () => this.CONSUME(T[n]) })),
          );
          const right = this.SUBRULE2(this.word);
          return { kind: 'compare', op: COMPARE_BY_TYPE.get(op.tokenType) ?? '==', left, right } as Cond;
        },
      },
      {
        ALT: () => {
          const op = this.CONSUME(T.T_OP_BINARY);
          const right = this.SUBRULE3(this.word);
          return this.ACTION(() => {
            const info = this.check(lookupBinary(op.image, constantOf(right), this.opts), undefined);
            return info ? ({ kind: 'binary', op: info.op, left, right, subnet: info.subnet } as Cond) : DUMMY_COND;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.T_OP_IN);
          const list = this.SUBRULE(this.wordlist);
          return { kind: 'in', left, list } as Cond;
        },
      },
      {
        ALT: () => {
          const negate = this.OR3([
            { ALT: () => (this.CONSUME(T.T_OP_REG), false) },
            { ALT: () => (this.CONSUME(T.T_OP_NRE), true) },
          ]);
          const regex = this.SUBRULE(this.regex);
          return { kind: 'match', negate, left, regex } as Cond;
        },
      },
    ]);
  });

  private regex = this.RULE('regex', (): RegexLiteral => {
    const tok = this.OR([{ ALT: () => this.CONSUME(T.T_REGEX) }, { ALT: () => this.CONSUME(T.T_REGEX_I) }]);
    return this.ACTION(() => {
      const icase = tok.tokenType === T.T_REGEX_I;
      const compiled = compileRegex(tok.image, { icase });
      if (!compiled) {
        this.failed = true;
        return { source: tok.image, icase, regex: /(?!)/, captures: false };
      }
      return { source: tok.image, icase, regex: compiled.regex, captures: countGroups(compiled.regex) > 0 };
    });
  });

  private wordlist = this.RULE('wordlist', (): WordList =>
    this.OR([
      {
        ALT: () => {
          const name = this.CONSUME(T.T_ID);
          this.CONSUME(T["'('"]);
          const arg = this.SUBRULE(this.word);
          this.CONSUME(T["')'"]);
          return this.ACTION(() => {
            const canonical = this.check(lookupListFunc(name.image, this.opts), name.image);
            return { kind: 'listfunc', name: canonical, arg } as WordList;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T["'{'"]);
          const items: Word[] = [this.SUBRULE2(this.word)];
          this.MANY(() => {
            this.CONSUME(T["','"]);
            items.push(this.SUBRULE3(this.word));
          });
          this.CONSUME(T["'}'"]);
          return { kind: 'list', items } as WordList;
        },
      },
    ]),
  );

  private word: () => Word = this.RULE('word', (): Word => {
    const first = this.SUBRULE(this.atom);
    let rest: Word | undefined;
    this.OPTION(() => {
      this.CONSUME(T.T_OP_CONCAT);
      rest = this.SUBRULE(this.word);
    });
    return rest ? this.ACTION(() => concat([first, rest as Word])) : first;
  });

  private atom = this.RULE('atom', (): Word =>
    this.OR([
      { ALT: () => ({ kind: 'digit', value: this.CONSUME(T.T_DIGIT).image }) as Word },
      { ALT: () => this.SUBRULE(this.variable) },
      { ALT: () => ({ kind: 'backref', n: Number(this.CONSUME(T.T_REGEX_BACKREF).image) }) as Word },
      {
        ALT: () => {
          const name = this.CONSUME(T.T_ID);
          this.CONSUME(T["'('"]);
          const arg = this.SUBRULE(this.word);
          this.CONSUME(T["')'"]);
          return this.ACTION(() => {
            const canonical = this.check(lookupStringFunc(name.image, this.opts), name.image);
            return { kind: 'func', name: canonical, arg } as Word;
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.T_STR_BEGIN);
          const inner = this.OPTION(() => this.SUBRULE(this.string));
          this.CONSUME(T.T_STR_END);
          return inner ?? ({ kind: 'string', value: '' } as Word);
        },
      },
    ]),
  );

  private variable = this.RULE('variable', (): Word => {
    this.CONSUME(T.T_VAR_BEGIN);
    const name = this.CONSUME(T.T_ID);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.T_VAR_END);
          return this.ACTION(() => ({ kind: 'var', name: this.check(lookupVar(name.image, this.opts), name.image) }) as Word);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T["':'"]);
          const arg = this.SUBRULE(this.string);
          this.CONSUME2(T.T_VAR_END);
          return this.ACTION(
            () => ({ kind: 'func', name: this.check(lookupStringFunc(name.image, this.opts), name.image), arg }) as Word,
          );
        },
      },
    ]);
  });

  private string: () => Word = this.RULE('string', (): Word => {
    const parts: Word[] = [];
    this.AT_LEAST_ONE(() => {
      parts.push(
        this.OR([
          { ALT: () => ({ kind: 'string', value: this.CONSUME(T.T_STRING).image }) as Word },
          { ALT: () => this.SUBRULE(this.variable) },
          { ALT: () => ({ kind: 'backref', n: Number(this.CONSUME(T.T_REGEX_BACKREF).image) }) as Word },
        ]),
      );
    });
    return this.ACTION(() => (parts.length === 1 ? parts[0] : { kind: 'concat', parts }));
  });
}

/** Number of capture groups of a compiled pattern. */
function countGroups(re: RegExp): number {
  const m = new RegExp(`${re.source}|`, re.flags).exec('');
  return m ? m.length - 1 : 0;
}

let parserInstance: ExprParser | undefined;

function toChevrotain(toks: Tok[]): IToken[] {
  const out: IToken[] = [];
  for (const t of toks) {
    const type = T[t.name];
    if (!type) continue; // T_EXPR_BOOL / T_EXPR_STRING / $end
    out.push(createTokenInstance(type, t.value, t.offset, t.offset, NaN, NaN, NaN, NaN));
  }
  return out;
}

function run(text: string, stringResult: boolean, opts: ParseOptions): Result<Expr, string> {
  const toks = scan(text, stringResult);
  const last = toks[toks.length - 1];
  if (last.name === '$end') {
    parserInstance ??= new ExprParser();
    const p = parserInstance;
    p.opts = opts;
    p.failed = false;
    p.input = toChevrotain(toks);
    const root = stringResult ? p.stringRoot() : p.boolRoot();
    if (p.errors.length === 0 && !p.failed) {
      const expr: Expr =
        stringResult ? { type: 'string', source: text, root: root as Word } : { type: 'bool', source: text, root: root as Cond };
      return { ok: true, value: expr };
    }
  }
  const d = diagnose(toks, opts);
  return { ok: false, error: d.message ?? 'syntax error' };
}

/**
 * Parse a boolean expression (`<If>`, `Require expr`, `expr=` conditions). The error is httpd's
 * own message without any directive prefix; `EXPR_SCANNER_JAMMED` is the fatal case.
 */
export function parseExpr(text: string, opts: ParseOptions = {}): Result<Expr, string> {
  return run(text, false, opts);
}

/** Parse a string expression (httpd's AP_EXPR_FLAG_STRING_RESULT): text with `%{…}` and `$N`. */
export function parseStringExpr(text: string, opts: ParseOptions = {}): Result<Expr, string> {
  return run(text, true, opts);
}
