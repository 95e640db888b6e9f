/**
 * The featherd command line, run in-process (runCli) and as a real process (bin/featherd), on
 * real config files in temporary directories, compared with what real Apache httpd prints for
 * the same files (the program name aside).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './main.js';

const APACHE = '/usr/sbin/apache2';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(REPO, 'bin/featherd');
const MODS = '/usr/lib/apache2/modules';
const MPM = `LoadModule mpm_event_module ${MODS}/mod_mpm_event.so`;
const PROXY = `LoadModule proxy_module ${MODS}/mod_proxy.so`;

interface Run {
  code: number;
  out: string;
  err: string;
}

/** A ServerRoot in a new temp dir with logs/ and htdocs/, and the given files. */
function makeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'featherd-cli-'));
  mkdirSync(join(root, 'logs'));
  mkdirSync(join(root, 'htdocs'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

async function featherd(argv: string[], cwd = tmpdir(), env: Record<string, string> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    env,
    cwd,
  });
  return { code, out, err };
}

function apache(argv: string[]): Run {
  expect(existsSync(APACHE)).toBe(true);
  const r = spawnSync(APACHE, argv, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function spawnFeatherd(argv: string[], cwd: string): Run {
  expect(existsSync(join(REPO, 'dist/cli/main.js'))).toBe(true); // `npm test` builds first
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', cwd, env: { PATH: process.env.PATH ?? '' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** httpd's output with featherd's program name, log time stamps and pids masked. */
function normalise(text: string): string {
  return text
    .replace(/\/usr\/sbin\/apache2/g, 'featherd')
    .replace(/\bapache2:/g, 'featherd:')
    .replace(/^\[[^\]]+\] \[([a-z_]+):([a-z]+)\] \[pid \d+:tid \d+\]/gm, '[TIME] [$1:$2] [pid]');
}

/** Mutex lines come out of a hash table in httpd: compare them as a set. */
function sortMutexes(text: string): string {
  const lines = text.split('\n');
  const mutex = lines.filter((l) => l.startsWith('Mutex ')).sort();
  let i = 0;
  return lines.map((l) => (l.startsWith('Mutex ') ? mutex[i++] : l)).join('\n');
}

function same(a: Run, f: Run): void {
  expect({ code: f.code, out: sortMutexes(f.out), err: normalise(f.err) }).toEqual({
    code: a.code,
    out: sortMutexes(normalise(a.out)),
    err: normalise(a.err),
  });
}

const VHOSTS = (root: string) => `${MPM}
${PROXY}
ServerName main.test
DefaultRuntimeDir ${root}/logs
PidFile logs/httpd.pid
DocumentRoot htdocs
ErrorLog logs/error.log
Define V 1
Include conf.d/*.conf
<VirtualHost 127.0.0.1:18080>
    ServerName a.test
</VirtualHost>
<VirtualHost *:18080>
    ServerName b.test
    ServerAlias www.b.test *.b.test
</VirtualHost>
<VirtualHost *:18080>
    ServerName c.test
</VirtualHost>
<VirtualHost [::1]:18081 10.0.0.7:18082>
    ServerName d.test
</VirtualHost>
<VirtualHost *>
    ServerName e.test
</VirtualHost>
`;

function vhostRoot(): { root: string; conf: string } {
  const root = makeRoot({
    'conf.d/b.conf': 'ServerAdmin b@example.test\n',
    'sub/c.conf': 'ServerAdmin c@example.test\n',
  });
  const conf = join(root, 'httpd.conf');
  writeFileSync(conf, VHOSTS(root));
  writeFileSync(join(root, 'conf.d/a.conf'), `ServerAdmin a@example.test\nInclude ${root}/sub/*.conf\n`);
  return { root, conf };
}

describe('output compared with real httpd', () => {
  test('-t on a valid configuration: Syntax OK on stderr, exit 0', async () => {
    const { root, conf } = vhostRoot();
    same(apache(['-t', '-d', root, '-f', conf]), await featherd(['-t', '-d', root, '-f', conf]));
  });

  const dumps = [['-S'], ['-M'], ['-t', '-D', 'DUMP_VHOSTS'], ['-t', '-D', 'DUMP_RUN_CFG', '-D', 'FOO'], ['-S', '-D', 'DUMP_MODULES']];
  test.each(dumps.map((d) => [d.join(' '), d] as const))('%s prints what httpd prints', async (_name, args) => {
    const { root, conf } = vhostRoot();
    const argv = [...args, '-d', root, '-f', conf];
    same(apache(argv), await featherd(argv));
  });

  test('-t -D DUMP_INCLUDES lists nested includes with the Include lines httpd shows', async () => {
    const { root, conf } = vhostRoot();
    const argv = ['-t', '-D', 'DUMP_INCLUDES', '-d', root, '-f', conf];
    const a = apache(argv);
    // b.conf shows the line of the Include inside a.conf, executed last before b.conf was opened.
    expect(a.out).toBe(
      `Included configuration files:\n  (*) ${conf}\n    (9) ${root}/conf.d/a.conf\n` +
        `      (2) ${root}/sub/c.conf\n    (2) ${root}/conf.d/b.conf\n`,
    );
    same(a, await featherd(argv));
  });

  test('a walk error: httpd lines first and intact, then the excerpt and the hint', async () => {
    const root = makeRoot({ 'h.conf': `${MPM}\n${PROXY}\nServerName a.test\n<VirtualHost *:80>\n\tProxyPas /x http://b/\n</VirtualHost>\n` });
    const conf = join(root, 'h.conf');
    const a = apache(['-t', '-d', root, '-f', conf]);
    const f = await featherd(['-t', '-d', root, '-f', conf], root);
    expect(a.code).toBe(1);
    expect(f.code).toBe(1);
    expect(f.err.startsWith(a.err + '\n')).toBe(true);
    expect(f.err.slice(a.err.length)).toBe(
      "\nh.conf:5:2\n 5 | \tProxyPas /x http://b/\n   | \t^\nhint: did you mean 'ProxyPass'?\n",
    );
    expect(f.out).toBe('');
  });

  test('a build error keeps httpd text with featherd as program name', async () => {
    const root = makeRoot({ 'h.conf': `${MPM}\nServerName a.test\n</Location>\n` });
    const conf = join(root, 'h.conf');
    const a = apache(['-t', '-d', root, '-f', conf]);
    const f = await featherd(['-t', '-d', root, '-f', conf], root);
    expect(a.code).toBe(1);
    expect(f.code).toBe(1);
    const httpdPart = normalise(a.err);
    expect(f.err.startsWith(httpdPart + '\n')).toBe(true);
    expect(f.err).toContain('h.conf:3:1\n 3 | </Location>\n   | ^\n');
  });

  test('no MPM, missing config file, -C errors', async () => {
    const root = makeRoot({ 'h.conf': 'ServerName a.test\n', 'ok.conf': `${MPM}\nServerName a.test\n` });
    for (const argv of [
      ['-t', '-d', root, '-f', join(root, 'h.conf')],
      ['-t', '-d', root, '-f', 'missing.conf'],
      ['-t', '-d', root, '-f', join(root, 'ok.conf'), '-C', 'Bogus x'],
      ['-t', '-d', root, '-f', join(root, 'ok.conf'), '-c', 'ServerAdmin'],
    ]) {
      const a = apache(argv);
      const f = await featherd(argv, root);
      expect(f.code).toBe(1);
      expect(a.code).toBe(1);
      expect(f.err.startsWith(normalise(a.err))).toBe(true);
    }
  });

  test('startup warnings in httpd log format before Syntax OK, filtered by -e', async () => {
    const root = makeRoot({ 'h.conf': `${MPM}\nServerName a.test\nServerAdmin \${NOPE}@example.test\n` });
    const conf = join(root, 'h.conf');
    const a = apache(['-t', '-d', root, '-f', conf]);
    const f = await featherd(['-t', '-d', root, '-f', conf], root);
    expect(normalise(f.err)).toBe(normalise(a.err));
    expect(f.err).toMatch(/^\[\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2}\.\d{6} \d{4}\] \[core:warn\] \[pid \d+:tid \d+\] AH00111: Config variable \$\{NOPE\} is not defined\nSyntax OK\n$/);
    same(apache(['-t', '-e', 'crit', '-d', root, '-f', conf]), await featherd(['-t', '-e', 'crit', '-d', root, '-f', conf]));
  });

  test('no ServerName: the local host name, with AH00558 when it is not qualified', async () => {
    const root = makeRoot({ 'h.conf': `${MPM}\n<VirtualHost *:18080>\n</VirtualHost>\n` });
    for (const flag of ['-t', '-S']) {
      const argv = [flag, '-d', root, '-f', join(root, 'h.conf')];
      const a = apache(argv);
      const f = await featherd(argv);
      expect(normalise(f.err)).toBe(normalise(a.err));
      if (flag === '-S') expect(f.out.split('\n').slice(0, 2)).toEqual(a.out.split('\n').slice(0, 2));
    }
  });

  test('-E sends startup messages to a file', async () => {
    const root = makeRoot({ 'h.conf': `${MPM}\nServerName a.test\n` });
    const f = await featherd(['-t', '-E', 'startup.log', '-d', root, '-f', join(root, 'h.conf')]);
    expect(f).toEqual({ code: 0, out: '', err: '' });
    expect(readFileSync(join(root, 'startup.log'), 'utf8')).toBe('Syntax OK\n');
  });

  test('-h and bad options: httpd usage on stderr, exit 1', async () => {
    const a = apache(['-h']);
    const f = await featherd(['-h']);
    expect(f.code).toBe(1);
    expect(f.out).toBe('');
    const pad = (s: string) => s.replace(/^ {25}/gm, ' '.repeat(16));
    expect(f.err.startsWith(pad(normalise(a.err)))).toBe(true);
    expect(f.err).toContain('ServerRoot is the current directory unless -d is given');
    const bad = await featherd(['-x']);
    expect(bad.code).toBe(1);
    expect(bad.err.startsWith(pad(normalise(apache(['-x']).err)))).toBe(true);
  });

  test('-v and -l have httpd shape', async () => {
    const shape = /^Server version: [\w.-]+\/\S+ \([^)]*\)\nServer built: {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n$/;
    const a = apache(['-v']);
    const f = await featherd(['-v']);
    expect(a.out).toMatch(shape);
    expect(f.out).toMatch(shape);
    expect(f.out).toMatch(/^Server version: featherd\//);
    expect(f.code).toBe(0);
    same(apache(['-l']), await featherd(['-l']));
    const V = await featherd(['-V']);
    expect(V.out).toMatch(/^Server version: featherd\/.*\nServer built: .*\n.*\nServer loaded: .*\nCompiled using: .*\nArchitecture: {3}\d\d-bit\nServer MPM: {5}\w+\n/);
  });

  test('-L lists directives of loaded modules as httpd does', async () => {
    const root = makeRoot({
      'h.conf': `${MPM}\n${PROXY}\nLoadModule headers_module ${MODS}/mod_headers.so\nServerName a.test\n`,
    });
    const argv = ['-L', '-d', root, '-f', join(root, 'h.conf')];
    const entries = (text: string) => {
      const map = new Map<string, string[]>();
      let cur: string[] | undefined;
      for (const line of text.split('\n')) {
        if (line.startsWith('\t')) {
          if (!line.startsWith('\tfeatherd:')) cur?.push(line);
        } else if (/ \((core|mod_proxy|mod_headers)\.c\)$/.test(line)) {
          cur = [];
          map.set(line, cur);
        } else cur = undefined;
      }
      return map;
    };
    const a = entries(apache(argv).out);
    const f = await featherd(argv);
    expect(f.code).toBe(0);
    const fe = entries(f.out);
    expect(fe.get('ProxyPass (mod_proxy.c)')).toEqual(['\ta virtual path and a URL', '\tAllowed in *.conf anywhere']);
    const differ = [...fe].filter(([k, v]) => a.has(k) && JSON.stringify(a.get(k)) !== JSON.stringify(v)).map(([k]) => k);
    expect(differ).toEqual([]);
    expect([...fe.keys()].filter((k) => a.has(k)).length).toBeGreaterThan(50);
  });
});

describe('featherd additions', () => {
  const BAD = `${MPM}\n${PROXY}\nServerName a.test\nProxyPass /app/ http://127.0.0.1:8080\n`;

  test('lint warnings go to stderr before Syntax OK and never change the verdict', async () => {
    const root = makeRoot({ 'h.conf': BAD });
    const f = await featherd(['-t', '-f', 'h.conf', '-d', root], root);
    expect(f.code).toBe(0);
    expect(f.out).toBe('');
    expect(f.err).toBe(
      "h.conf:4:1: warning: ProxyPass path '/app/' ends with '/' but URL 'http://127.0.0.1:8080' does not: " +
        "'/app/x' is forwarded to 'http://127.0.0.1:8080x' [proxypass-trailing-slash]\nSyntax OK\n",
    );
    const plain = await featherd(['-t', '--no-lint', '-f', 'h.conf', '-d', root], root);
    same(apache(['-t', '-f', 'h.conf', '-d', root]), plain);
  });

  test('--format json', async () => {
    const root = makeRoot({ 'h.conf': BAD });
    const f = await featherd(['-t', '--format', 'json', '-f', 'h.conf', '-d', root], root);
    expect(f.code).toBe(0);
    expect(f.err).toBe('Syntax OK\n');
    const report = JSON.parse(f.out);
    expect(report.verdict).toBe('ok');
    expect(report.findings).toEqual([
      expect.objectContaining({ rule: 'proxypass-trailing-slash', severity: 'warning', file: 'h.conf', line: 4, column: 1 }),
    ]);
    const broken = await featherd(['-t', '--format=json', '-f', 'h.conf', '-d', root, '-c', 'Bogus'], root);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toMatchObject({ verdict: 'error', error: { message: expect.stringContaining("Invalid command 'Bogus'") } });
  });

  test('--format sarif: a SARIF 2.1.0 log with rules, results, relative URIs and regions', async () => {
    const root = makeRoot({ 'conf/httpd.conf': BAD });
    const f = await featherd(['-t', '--format', 'sarif'], root);
    expect(f.code).toBe(0);
    const log = JSON.parse(f.out);
    // Required by the SARIF 2.1.0 schema: version, runs; run.tool.driver.name; result.message.
    expect(log.version).toBe('2.1.0');
    expect(typeof log.$schema).toBe('string');
    expect(Array.isArray(log.runs)).toBe(true);
    const run = log.runs[0];
    expect(typeof run.tool.driver.name).toBe('string');
    const ruleIds = run.tool.driver.rules.map((r: { id: string; shortDescription: { text: string } }) => {
      expect(typeof r.shortDescription.text).toBe('string');
      return r.id;
    });
    expect(ruleIds).toEqual(expect.arrayContaining(['proxypass-trailing-slash', 'retry-default', 'open-proxy']));
    expect(run.results.length).toBe(1);
    for (const r of run.results) {
      expect(typeof r.message.text).toBe('string');
      expect(['error', 'warning', 'note', 'none']).toContain(r.level);
      expect(ruleIds[r.ruleIndex]).toBe(r.ruleId);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation).toEqual({ uri: 'conf/httpd.conf', uriBaseId: 'SRCROOT' });
      expect(new URL(loc.artifactLocation.uri, run.originalUriBaseIds.SRCROOT.uri).pathname).toBe(join(root, 'conf/httpd.conf'));
      expect(loc.region).toEqual({ startLine: 4, startColumn: 1 });
    }
  });

  test('default ServerRoot is the current directory and the config conf/httpd.conf', async () => {
    const root = makeRoot({ 'conf/httpd.conf': `${MPM}\nServerName a.test\n` });
    expect(await featherd(['-t'], root)).toEqual({ code: 0, out: '', err: 'Syntax OK\n' });
    const S = await featherd(['-t', '-D', 'DUMP_RUN_CFG'], root);
    expect(S.out).toContain(`ServerRoot: "${root}"\n`);
    const elsewhere = await featherd(['-t'], tmpdir());
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.err).toBe(`featherd: Could not open configuration file ${join(tmpdir(), 'conf/httpd.conf')}: No such file or directory\n`);
  });

  test('featherd\'s own errors (RewriteMap types it cannot serve) fail -t and the start after httpd\'s lines, lint or not', async () => {
    const conf = (maps: string) =>
      `${MPM}\n${PROXY}\nLoadModule rewrite_module ${MODS}/mod_rewrite.so\nServerName a.test\nErrorLog logs/error.log\nListen 127.0.0.1:18089\n` +
      `ProxyPass /app/ http://127.0.0.1:8080\n${maps}RewriteEngine On\nRewriteRule ^/x/(.*) \${lower:$1}\n`;
    const root = makeRoot({
      'users.map': '',
      'h.conf': conf('RewriteMap lower int:tolower\nRewriteMap ext "prg:/bin/cat"\nRewriteMap db "dbm:users.map"\n'),
      'ok.conf': conf('RewriteMap lower int:tolower\n'),
    });
    // httpd accepts the maps (a program and a DBM file it can open).
    same(apache(['-t', '-f', 'ok.conf', '-d', root]), await featherd(['-t', '--no-lint', '-f', 'ok.conf', '-d', root], root));
    const a = apache(['-t', '-f', 'h.conf', '-d', root]);
    expect({ code: a.code, err: a.err }).toEqual({ code: 0, err: 'Syntax OK\n' });
    const errors =
      "h.conf:9:1: error: RewriteMap ext: map type 'prg' is not supported by featherd (supported: txt, rnd, int) [unsupported]\n" +
      "h.conf:10:1: error: RewriteMap db: map type 'dbm' is not supported by featherd (supported: txt, rnd, int) [unsupported]\n";
    const failed = 'featherd: Configuration check failed: the 2 errors above name what featherd cannot serve as httpd would\n';
    // Without lint findings: only the errors; with them (the default), in file order among the warnings.
    expect(await featherd(['-t', '--no-lint', '-f', 'h.conf', '-d', root], root)).toEqual({ code: 1, out: '', err: errors + failed });
    const linted = await featherd(['-t', '-f', 'h.conf', '-d', root], root);
    expect(linted.code).toBe(1);
    expect(linted.err).toMatch(/^h\.conf:7:1: warning: .*\[proxypass-trailing-slash\]\n/);
    expect(linted.err.endsWith(errors + failed)).toBe(true);
    expect(linted.err).not.toContain('Syntax OK');
    const json = await featherd(['-t', '--no-lint', '--format', 'json', '-f', 'h.conf', '-d', root], root);
    expect(json.code).toBe(1);
    expect(json.err).toBe(failed);
    expect(JSON.parse(json.out)).toEqual({
      verdict: 'error',
      findings: [
        expect.objectContaining({ rule: 'unsupported', severity: 'error', file: 'h.conf', line: 9 }),
        expect.objectContaining({ rule: 'unsupported', severity: 'error', file: 'h.conf', line: 10 }),
      ],
    });
    // The same verdict stops a start before anything listens.
    expect(await featherd(['-X', '--no-lint', '-f', 'h.conf', '-d', root], root)).toEqual({ code: 1, out: '', err: errors + failed });
    const one = makeRoot({ 'h.conf': conf('RewriteMap lower int:tolower\nRewriteMap ext "prg:/bin/cat"\n') });
    expect((await featherd(['-t', '--no-lint', '-f', 'h.conf', '-d', one], one)).err).toBe(
      errors.split('\n')[0] + '\nfeatherd: Configuration check failed: the error above names what featherd cannot serve as httpd would\n',
    );
  });

  test('-k start and running without -t: a config without Listen is refused as httpd does, exit 1', async () => {
    const root = makeRoot({ 'conf/httpd.conf': `${MPM}\nServerName a.test\n` });
    for (const argv of [['-k', 'start'], ['-DFOREGROUND'], ['-X']]) {
      const f = await featherd(argv, root);
      expect(f.code).toBe(1);
      expect(f.err).toMatch(/^no listening sockets available, shutting down\nAH00015: Unable to open logs\n/);
    }
  });
});

describe('bin/featherd as a real process', () => {
  test('-t, -S and an error', () => {
    const { root, conf } = vhostRoot();
    const t = spawnFeatherd(['-t', '-d', root, '-f', conf], root);
    expect(t).toEqual({ code: 0, out: '', err: 'Syntax OK\n' });
    same(apache(['-S', '-d', root, '-f', conf]), spawnFeatherd(['-S', '-d', root, '-f', conf], root));
    const bad = spawnFeatherd(['-t', '-d', root, '-f', conf, '-c', 'Bogus'], root);
    expect(bad.code).toBe(1);
    expect(bad.err.startsWith(apache(['-t', '-d', root, '-f', conf, '-c', 'Bogus']).err)).toBe(true);
  });

  test('-v and usage', () => {
    const v = spawnFeatherd(['-v'], tmpdir());
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^Server version: featherd\//);
    const u = spawnFeatherd(['--bogus'], tmpdir());
    expect(u.code).toBe(1);
    expect(u.err).toContain('Usage: featherd [-D name] [-d directory] [-f file]');
  });
});
