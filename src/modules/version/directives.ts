import type { DirectiveEntry } from '../../directives/types.js';
import { EXEC_ON_READ, OR_ALL } from '../../directives/types.js';
import { d } from '../core/entry.js';

/** mod_version.c (`<IfVersion>` is evaluated by the config reader). */
export const versionDirectives: DirectiveEntry[] = [
  d('<IfVersion', 'TAKE123', EXEC_ON_READ | OR_ALL, 'a comparison operator, a version (and a delimiter)', 'yes', undefined),
];
