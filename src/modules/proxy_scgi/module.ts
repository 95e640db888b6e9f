import type { ModuleDef } from '../../directives/types.js';
import { ACCESS_CONF, RSRC_CONF } from '../../directives/types.js';

const NOTE = 'featherd has no SCGI backend support; scgi:// targets answer 500';

/** mod_proxy_scgi.c: SCGI backends (configuration accepted, not acted on). */
export const proxyScgiModule: ModuleDef = {
  id: 'proxy_scgi_module',
  file: 'mod_proxy_scgi.c',
  requires: ['proxy_module'],
  directives: [
    {
      name: 'ProxySCGISendfile', args: 'TAKE1', contexts: RSRC_CONF | ACCESS_CONF, support: 'ignored', note: NOTE,
      help: 'The name of the X-Sendfile pseudo response header or On or Off',
    },
    {
      name: 'ProxySCGIInternalRedirect', args: 'TAKE1', contexts: RSRC_CONF | ACCESS_CONF, support: 'ignored', note: NOTE,
      help: 'The name of the pseudo response header or On or Off',
    },
  ],
};
