/**
 * Test helpers for TLS: a throw-away certificate authority and certificates made with the
 * openssl command line in a temp directory, and featherd started in-process on a config.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FeatherServer } from '../../runtime/run.js';
import { startFromConfig } from '../../runtime/testkit.js';

export interface Certs {
  dir: string;
  caCert: string;
  caKey: string;
  /** Certificate and key files by name (`www.example.com` → `{ cert, key }`). */
  files: Map<string, { cert: string; key: string }>;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
}

/** A CA and one certificate per entry (CN = name, subjectAltName DNS:name plus `extraSan`). */
export function makeCerts(dir: string, names: string[], extraSan = 'IP:127.0.0.1'): Certs {
  fs.mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=featherd test CA'], dir);
  const files = new Map<string, { cert: string; key: string }>();
  for (const name of names) {
    const base = name.replace(/[^A-Za-z0-9.-]/g, '_');
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${name}`], dir);
    fs.writeFileSync(path.join(dir, `${base}.ext`), `subjectAltName=DNS:${name}${extraSan ? `,${extraSan}` : ''}\n`);
    openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${base}.crt`, '-days', '2', '-extfile', `${base}.ext`], dir);
    files.set(name, { cert: path.join(dir, `${base}.crt`), key: path.join(dir, `${base}.key`) });
  }
  return { dir, caCert: path.join(dir, 'ca.crt'), caKey: path.join(dir, 'ca.key'), files };
}

export const MODULES = `LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so
LoadModule proxy_wstunnel_module /usr/lib/apache2/modules/mod_proxy_wstunnel.so
`;

export interface Running {
  server: FeatherServer;
  conf: string;
  stderr: string[];
  stop(): Promise<void>;
}

/** featherd in-process on `body` (after the modules, ServerRoot, PidFile and ErrorLog lines). */
export async function startFeatherd(dir: string, body: string): Promise<{ ok: true; value: Running } | { ok: false; error: string }> {
  const conf = path.join(dir, 'httpd.conf');
  fs.writeFileSync(conf, `ServerRoot "${dir}"\n${MODULES}ServerName front.test\nPidFile ${dir}/httpd.pid\nErrorLog ${dir}/error.log\n${body}`);
  const stderr: string[] = [];
  const r = await startFromConfig(conf, dir, (s) => stderr.push(s));
  if (!r.ok) return r;
  return { ok: true, value: { server: r.value, conf, stderr, stop: () => r.value.stop() } };
}
