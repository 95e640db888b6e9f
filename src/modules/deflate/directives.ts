import type { DirectiveEntry } from '../../directives/types.js';
import { OR_ALL, RSRC_CONF } from '../../directives/types.js';
import { alterEtag, filterNote, inflateLimit, positive, range } from './handlers.js';
import { d, NOTE } from '../core/entry.js';

/** mod_deflate.c */
export const deflateDirectives: DirectiveEntry[] = [
  d('DeflateFilterNote', 'TAKE12', RSRC_CONF, 'Set a note to report on compression ratio', 'ignored', filterNote, NOTE.deflate),
  d('DeflateWindowSize', 'TAKE1', RSRC_CONF, 'Set the Deflate window size (1-15)', 'ignored', range(1, 15, 'DeflateWindowSize must be between 1 and 15'), NOTE.deflate),
  d('DeflateBufferSize', 'TAKE1', RSRC_CONF, 'Set the Deflate Buffer Size', 'ignored', positive('DeflateBufferSize should be positive'), NOTE.deflate),
  d('DeflateMemLevel', 'TAKE1', RSRC_CONF, 'Set the Deflate Memory Level (1-9)', 'ignored', range(1, 9, 'DeflateMemLevel must be between 1 and 9'), NOTE.deflate),
  d('DeflateCompressionLevel', 'TAKE1', RSRC_CONF, 'Set the Deflate Compression Level (1-9)', 'ignored', range(1, 9, 'Compression Level must be between 1 and 9'), NOTE.deflate),
  d('DeflateInflateLimitRequestBody', 'TAKE1', OR_ALL, 'Set a limit on size of inflated input', 'ignored', inflateLimit, NOTE.deflate),
  d('DeflateInflateRatioLimit', 'TAKE1', OR_ALL, 'Set the inflate ratio limit above which inflation is aborted (default: 200)', 'ignored', positive('DeflateInflateRatioLimit must be positive'), NOTE.deflate),
  d('DeflateInflateRatioBurst', 'TAKE1', OR_ALL, 'Set the maximum number of following inflate ratios above limit (default: 3)', 'ignored', positive('DeflateInflateRatioBurst must be positive'), NOTE.deflate),
  d('DeflateAlterEtag', 'TAKE1', RSRC_CONF, 'Set how mod_deflate should modify ETAG response headers: \'AddSuffix\' (default), \'NoChange\' (2.2.x behavior), \'Remove\'', 'ignored', alterEtag, NOTE.deflate),
];
