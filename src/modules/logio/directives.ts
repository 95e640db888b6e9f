import type { DirectiveEntry } from '../../directives/types.js';
import { OR_ALL } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';

/** mod_logio.c */
export const logioDirectives: DirectiveEntry[] = [
  d('LogIOTrackTTFB', 'FLAG', OR_ALL, 'Set to \'ON\' to enable tracking time to first byte', 'ignored', undefined, NOTE.logio),
];
