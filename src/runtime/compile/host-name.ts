/**
 * The name httpd gives a <VirtualHost> written without ServerName and with a specific address
 * (vhost.c ap_fini_vhost_config): the reverse DNS name of its first address, as the system's
 * resolver gives it (`/etc/hosts` first), or `bogus_host_without_reverse_dns` when there is none.
 * It is what mod_proxy_http sends as X-Forwarded-Server and what redirects name.
 */
import { execFileSync } from 'node:child_process';

const known = new Map<string, string | undefined>();

/** The canonical host name of `host` (an IP address or a name), or undefined when it has none. */
export function reverseName(host: string): string | undefined {
  if (known.has(host)) return known.get(host);
  let name: string | undefined;
  try {
    // getent(1) asks the resolver as apr_getnameinfo does (hosts file, then DNS): `ADDRESS NAME…`.
    const out = execFileSync('getent', ['hosts', host], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    name = out.split('\n')[0]?.trim().split(/\s+/)[1];
  } catch {
    name = undefined;
  }
  known.set(host, name);
  return name;
}

/** httpd's name for a vhost whose reverse lookup failed. */
export const NO_REVERSE_DNS = 'bogus_host_without_reverse_dns';
