import type { DirectiveEntry } from '../../directives/types.js';
import { EXEC_ON_READ, RSRC_CONF } from '../../directives/types.js';
import { d } from '../core/entry.js';

/** mod_so.c (both executed by the config reader). */
export const soDirectives: DirectiveEntry[] = [
  d('LoadModule', 'TAKE2', EXEC_ON_READ | RSRC_CONF, 'a module name and the name of a shared object file to load it from', 'yes', undefined),
  d('LoadFile', 'ITERATE', EXEC_ON_READ | RSRC_CONF, 'shared object file or library to load into the server at runtime', 'yes', undefined),
];
