import type { DirectiveEntry } from '../../directives/types.js';
import { OR_INDEXES } from '../../directives/types.js';
import { expiresByType, expiresDefault } from './handlers.js';
import { d, NOTE } from '../core/entry.js';

/** mod_expires.c */
export const expiresDirectives: DirectiveEntry[] = [
  d('ExpiresActive', 'FLAG', OR_INDEXES, 'Limited to \'on\' or \'off\'', 'ignored', undefined, NOTE.expires),
  d('ExpiresByType', 'TAKE2', OR_INDEXES, 'a MIME type followed by an expiry date code', 'ignored', expiresByType, NOTE.expires),
  d('ExpiresDefault', 'TAKE1', OR_INDEXES, 'an expiry date code', 'ignored', expiresDefault, NOTE.expires),
];
