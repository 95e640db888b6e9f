import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';

/** mod_info.c */
export const infoDirectives: DirectiveEntry[] = [
  d('AddModuleInfo', 'TAKE2', RSRC_CONF, 'a module name and additional information on that module', 'ignored', undefined, NOTE.info),
];
