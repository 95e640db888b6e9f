import type { Diagnostic } from '../../../util/diagnostics.js';
import { workers } from '../../records.js';
import type { LintRule } from '../../types.js';

/** The backend schemes featherd proxies to (mod_proxy_http and mod_proxy_wstunnel's). */
const PROXIED = new Set(['http', 'https', 'ws', 'wss']);

/** The httpd module that serves a scheme featherd does not (what the message names). */
const MODULES: Record<string, string> = {
  ajp: 'mod_proxy_ajp',
  fcgi: 'mod_proxy_fcgi',
  scgi: 'mod_proxy_scgi',
  uwsgi: 'mod_proxy_uwsgi',
  h2: 'mod_proxy_http2',
  h2c: 'mod_proxy_http2',
  ftp: 'mod_proxy_ftp',
};

/**
 * featherd proxies HTTP and WebSocket backends over TCP. A worker of another protocol (AJP,
 * FastCGI, SCGI, uwsgi, HTTP/2, FTP) is accepted, as httpd accepts it, but every request to it
 * is answered 500, as httpd does when the protocol's module is not loaded. A Unix domain socket
 * (`unix:/path|http://…`) is connected to for http:// URLs only, not for https or ws(s).
 */
export const unsupportedBackend: LintRule = {
  id: 'unsupported-backend',
  description: 'A backend featherd cannot proxy to: a non-HTTP protocol, or TLS or WebSocket over a Unix domain socket',
  check(state) {
    const out: Diagnostic[] = [];
    const all = workers(state).records;
    for (let i = 0; i < all.length; i++) {
      const w = all[i];
      let message: string | undefined;
      if (!PROXIED.has(w.scheme)) {
        const mod = MODULES[w.scheme];
        message =
          `backend '${w.displayName}': featherd does not proxy ${w.scheme}:// ` +
          `${mod ? `(httpd's ${mod})` : 'URLs'}; requests to it are answered 500`;
      } else if (w.udsPath !== undefined && w.scheme !== 'http') {
        message = `backend '${w.displayName}': featherd connects to Unix domain sockets for http:// URLs only; it would connect to ${w.hostname} over TCP instead`;
      }
      if (message) out.push({ severity: 'warning', rule: 'unsupported-backend', message, loc: w.loc });
    }
    return out;
  },
};
