import type { DirectiveEntry } from '../../directives/types.js';
import { RSRC_CONF } from '../../directives/types.js';
import { d, NOTE } from '../core/entry.js';
import { chrootDir, unixdGlobal } from './handlers.js';

/** mod_unixd.c */
export const unixdDirectives: DirectiveEntry[] = [
  d('User', 'TAKE1', RSRC_CONF, 'Effective user id for this server', 'ignored', unixdGlobal, NOTE.process),
  d('Group', 'TAKE1', RSRC_CONF, 'Effective group id for this server', 'ignored', unixdGlobal, NOTE.process),
  d('ChrootDir', 'TAKE1', RSRC_CONF, 'The directory to chroot(2) into', 'ignored', chrootDir, NOTE.process),
  d('Suexec', 'FLAG', RSRC_CONF, 'Enable or disable suEXEC support', 'ignored', unixdGlobal, NOTE.process),
];
