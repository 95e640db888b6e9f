import type { DirectiveEntry } from '../../directives/types.js';
import { OR_FILEINFO, RSRC_CONF } from '../../directives/types.js';
import { forceLanguagePriority } from './handlers.js';
import { d, NOTE } from '../core/entry.js';

/** mod_negotiation.c */
export const negotiationDirectives: DirectiveEntry[] = [
  d('CacheNegotiatedDocs', 'FLAG', RSRC_CONF, 'Either \'on\' or \'off\' (default)', 'ignored', undefined, NOTE.negotiation),
  d('LanguagePriority', 'ITERATE', OR_FILEINFO, 'space-delimited list of MIME language abbreviations', 'ignored', undefined, NOTE.negotiation),
  d('ForceLanguagePriority', 'ITERATE', OR_FILEINFO, 'Force LanguagePriority elections, either None, or Fallback and/or Prefer', 'ignored', forceLanguagePriority, NOTE.negotiation),
];
