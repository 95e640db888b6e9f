import type { LintRule } from '../types.js';
import { notHonoured } from './not-honoured/rule.js';
import { unknownModule } from './unknown-module/rule.js';

/** Every lint rule, in the order findings of equal position are listed. */
export const allRules: LintRule[] = [unknownModule, notHonoured];
