/**
 * httpd 2.4's ap_expr grammar (server/util_expr_parse.y) as data, with bison's symbol names.
 *
 * The chevrotain parser (parser.ts) is the LL form of the same language and builds the tree;
 * this table drives the LR automaton in lr.ts, which replays what httpd's bison parser does on
 * bad input so that featherd prints httpd's exact `syntax error, unexpected …, expecting …`.
 *
 * Precedence (all right-associative, lowest first): `||`, `&&`, `!`, `.`.
 */
import type { TokName } from './lexer.js';

export type NonTerminal =
  | '$accept'
  | 'root'
  | 'expr'
  | 'comparison'
  | 'wordlist'
  | 'words'
  | 'string'
  | 'strpart'
  | 'var'
  | 'word'
  | 'regex'
  | 'backref'
  | 'lstfunccall'
  | 'strfunccall';

export type GSymbol = TokName | NonTerminal;

/** What the parser does when it reduces a rule (httpd's semantic actions that can fail). */
export type Action =
  | 'var' // ap_expr_var_make
  | 'varfunc' // %{func:string}: ap_expr_str_func_make
  | 'strfunc'
  | 'lstfunc'
  | 'unary'
  | 'binary'
  | 'regex'
  | 'regex_i'
  | 'abort' // a T_ERROR production: YYABORT
  | 'string' // op_String (a constant, for the -R / -ipmatch argument check)
  | 'empty_string'
  | 'pass' // $$ = $1 for strpart/word/string (keeps "constant" status)
  | 'quoted' // T_STR_BEGIN string T_STR_END: $$ = $2
  | undefined;

export interface Rule {
  lhs: NonTerminal;
  rhs: GSymbol[];
  action?: Action;
}

const cmp = (op: TokName): Rule => ({ lhs: 'comparison', rhs: ['word', op, 'word'] });

export const RULES: Rule[] = [
  { lhs: '$accept', rhs: ['root', '$end'] },
  { lhs: 'root', rhs: ['T_EXPR_BOOL', 'expr'] },
  { lhs: 'root', rhs: ['T_EXPR_STRING', 'string'] },
  { lhs: 'root', rhs: ['T_ERROR'], action: 'abort' },

  { lhs: 'expr', rhs: ['T_TRUE'] },
  { lhs: 'expr', rhs: ['T_FALSE'] },
  { lhs: 'expr', rhs: ['T_OP_NOT', 'expr'] },
  { lhs: 'expr', rhs: ['expr', 'T_OP_OR', 'expr'] },
  { lhs: 'expr', rhs: ['expr', 'T_OP_AND', 'expr'] },
  { lhs: 'expr', rhs: ['comparison'] },
  { lhs: 'expr', rhs: ['T_OP_UNARY', 'word'], action: 'unary' },
  { lhs: 'expr', rhs: ['word', 'T_OP_BINARY', 'word'], action: 'binary' },
  { lhs: 'expr', rhs: ["'('", 'expr', "')'"] },
  { lhs: 'expr', rhs: ['T_ERROR'], action: 'abort' },

  cmp('T_OP_EQ'),
  cmp('T_OP_NE'),
  cmp('T_OP_LT'),
  cmp('T_OP_LE'),
  cmp('T_OP_GT'),
  cmp('T_OP_GE'),
  cmp('T_OP_STR_EQ'),
  cmp('T_OP_STR_NE'),
  cmp('T_OP_STR_LT'),
  cmp('T_OP_STR_LE'),
  cmp('T_OP_STR_GT'),
  cmp('T_OP_STR_GE'),
  { lhs: 'comparison', rhs: ['word', 'T_OP_IN', 'wordlist'] },
  { lhs: 'comparison', rhs: ['word', 'T_OP_REG', 'regex'] },
  { lhs: 'comparison', rhs: ['word', 'T_OP_NRE', 'regex'] },

  { lhs: 'wordlist', rhs: ['lstfunccall'] },
  { lhs: 'wordlist', rhs: ["'{'", 'words', "'}'"] },

  { lhs: 'words', rhs: ['word'] },
  { lhs: 'words', rhs: ['words', "','", 'word'] },

  { lhs: 'string', rhs: ['string', 'strpart'] },
  { lhs: 'string', rhs: ['strpart'], action: 'pass' },
  { lhs: 'string', rhs: ['T_ERROR'], action: 'abort' },

  { lhs: 'strpart', rhs: ['T_STRING'], action: 'string' },
  { lhs: 'strpart', rhs: ['var'] },
  { lhs: 'strpart', rhs: ['backref'] },

  { lhs: 'var', rhs: ['T_VAR_BEGIN', 'T_ID', 'T_VAR_END'], action: 'var' },
  { lhs: 'var', rhs: ['T_VAR_BEGIN', 'T_ID', "':'", 'string', 'T_VAR_END'], action: 'varfunc' },

  { lhs: 'word', rhs: ['T_DIGIT'] },
  { lhs: 'word', rhs: ['word', 'T_OP_CONCAT', 'word'] },
  { lhs: 'word', rhs: ['var'] },
  { lhs: 'word', rhs: ['backref'] },
  { lhs: 'word', rhs: ['strfunccall'] },
  { lhs: 'word', rhs: ['T_STR_BEGIN', 'string', 'T_STR_END'], action: 'quoted' },
  { lhs: 'word', rhs: ['T_STR_BEGIN', 'T_STR_END'], action: 'empty_string' },

  { lhs: 'regex', rhs: ['T_REGEX'], action: 'regex' },
  { lhs: 'regex', rhs: ['T_REGEX_I'], action: 'regex_i' },

  { lhs: 'backref', rhs: ['T_REGEX_BACKREF'] },

  { lhs: 'lstfunccall', rhs: ['T_ID', "'('", 'word', "')'"], action: 'lstfunc' },
  { lhs: 'strfunccall', rhs: ['T_ID', "'('", 'word', "')'"], action: 'strfunc' },
];

/** Token precedence: higher binds tighter. All four are %right. */
export const PRECEDENCE: Partial<Record<TokName, number>> = {
  T_OP_OR: 1,
  T_OP_AND: 2,
  T_OP_NOT: 3,
  T_OP_CONCAT: 4,
};
