import type { DirectiveEntry } from '../../directives/types.js';
import { EXEC_ON_READ, OR_ALL } from '../../directives/types.js';
import { d } from '../core/entry.js';

/** mod_macro.c (all executed by the config reader). */
export const macroDirectives: DirectiveEntry[] = [
  d('<Macro', 'RAW_ARGS', EXEC_ON_READ | OR_ALL, 'Beginning of a macro definition section.', 'yes', undefined),
  d('Use', 'RAW_ARGS', EXEC_ON_READ | OR_ALL, 'Use of a macro.', 'yes', undefined),
  d('UndefMacro', 'TAKE1', EXEC_ON_READ | OR_ALL, 'Remove a macro definition.', 'yes', undefined),
  d('MacroIgnoreEmptyArgs', 'RAW_ARGS', EXEC_ON_READ | OR_ALL, 'Globally ignore warnings about empty arguments.', 'yes', undefined),
  d('MacroIgnoreBadNesting', 'RAW_ARGS', EXEC_ON_READ | OR_ALL, 'Globally ignore warnings about bad nesting.', 'yes', undefined),
];
