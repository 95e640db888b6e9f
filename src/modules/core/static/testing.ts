/**
 * Test helpers for serving local content: a temp ServerRoot with files, featherd started
 * in-process on it (real sockets on 127.0.0.1), and raw requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort, startFromConfig, tempDir } from '../../../runtime/testkit.js';
import { rawExchange, type Backend, type RawResponse } from '../../proxy/runtime/forward.testkit.js';

export const MODULES = '/usr/lib/apache2/modules';
const FIXED_MTIME = new Date('2024-01-02T03:04:05Z');

export { freePort };

export interface Site {
  dir: string;
  port: number;
  stop(): Promise<void>;
  get(target: string, headers?: Record<string, string>, method?: string): Promise<RawResponse>;
  header(r: RawResponse, name: string): string | undefined;
}

/** Writes `files` (path → content, or null for a directory) under a new temp dir. */
function writeTree(dir: string, files: Record<string, string | null>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    if (content === null) {
      fs.mkdirSync(p, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    fs.utimesSync(p, FIXED_MTIME, FIXED_MTIME);
  }
}

/** Starts featherd on `body` (given the port and ServerRoot) after writing `files`. */
export async function startSite(files: Record<string, string | null>, body: (port: number, dir: string) => string, modules: string[] = []): Promise<Site> {
  const dir = tempDir('featherd-static-');
  writeTree(dir, files);
  const port = await freePort();
  const conf = path.join(dir, 'httpd.conf');
  const loads = ['mpm_event', 'authz_core', ...modules].map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so\n`).join('');
  fs.writeFileSync(conf, `ServerRoot "${dir}"\n${loads}ServerName front.test\nListen 127.0.0.1:${port}\nPidFile ${dir}/httpd.pid\nErrorLog ${dir}/error.log\nDocumentRoot "${dir}/htdocs"\n${body(port, dir)}\n`);
  const r = await startFromConfig(conf, dir);
  if (!r.ok) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(r.error);
  }
  const server = r.value;
  return {
    dir,
    port,
    stop: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    get: (target, headers = {}, method = 'GET') => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      return rawExchange(port, `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}Connection: close\r\n\r\n`, 10_000);
    },
    header: (res, name) => res.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
  };
}

/**
 * For a test file: `site(...)` starts a site, backends pushed on `backends` are tracked, and
 * `cleanup()` (for `afterEach`) stops them all.
 */
export function siteCleanup(): { site: typeof startSite; backends: Backend[]; cleanup: () => Promise<void> } {
  const sites: Site[] = [];
  const backends: Backend[] = [];
  const cleanup = async () => {
    while (sites.length) await sites.pop()!.stop();
    while (backends.length) await backends.pop()!.close();
  };
  const site = async (...a: Parameters<typeof startSite>): Promise<Site> => {
    const s = await startSite(...a);
    sites.push(s);
    return s;
  };
  return { site, backends, cleanup };
}
