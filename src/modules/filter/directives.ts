import type { DirectiveEntry } from '../../directives/types.js';
import { ACCESS_CONF, OR_FILEINFO, OR_OPTIONS, RSRC_CONF } from '../../directives/types.js';
import { addOutputFilterByType } from './handlers.js';
import { d, NOTE } from '../core/entry.js';

/** mod_filter.c */
export const filterDirectives: DirectiveEntry[] = [
  d('FilterDeclare', 'TAKE12', OR_OPTIONS, 'filter-name [filter-type]', 'ignored', undefined, NOTE.filters),
  d('FilterProvider', 'TAKE3', OR_OPTIONS, 'filter-name provider-name match-expression', 'ignored', undefined, NOTE.filters),
  d('FilterChain', 'ITERATE', OR_OPTIONS, 'list of filter names with optional [+-=!@]', 'ignored', undefined, NOTE.filters),
  d('FilterTrace', 'TAKE2', RSRC_CONF | ACCESS_CONF, 'filter-name debug-level', 'ignored', undefined, NOTE.filters),
  d('AddOutputFilterByType', 'TAKE_ARGV', OR_FILEINFO, 'output filter name followed by one or more content-types', 'ignored', addOutputFilterByType, NOTE.filters),
  d('FilterProtocol', 'TAKE23', OR_OPTIONS, 'filter-name [provider-name] protocol-args', 'ignored', undefined, NOTE.filters),
];
