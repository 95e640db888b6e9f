import { parseArgs, parseLogLevel, type CliOptions } from './args.js';

function run(argv: string[]): CliOptions {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(r)}`);
  return r.options;
}

describe('parseArgs (httpd getopt rules)', () => {
  test('option arguments joined or separate, repeatable -D', () => {
    const o = run(['-DFOO', '-D', 'BAR', '-f', 'x.conf', '-dsrv', '-C', 'ServerName a', '-c', 'ServerName b']);
    expect(o.defines).toEqual(['FOO', 'BAR']);
    expect(o.configFile).toBe('x.conf');
    expect(o.serverRoot).toBe('srv');
    expect(o.preDirectives).toEqual(['ServerName a']);
    expect(o.postDirectives).toEqual(['ServerName b']);
    expect(o.configTestOnly).toBe(false);
  });

  test('clustered flags', () => {
    const o = run(['-tS']);
    expect(o.configTestOnly).toBe(true);
    expect(o.defines).toEqual(['DUMP_VHOSTS', 'DUMP_RUN_CFG']);
    expect(run(['-Xt']).defines).toEqual(['DEBUG']);
    expect(run(['-tDFOO']).defines).toEqual(['FOO']);
  });

  test('-S, -M and the DUMP_* defines imply a configuration test', () => {
    expect(run(['-M']).defines).toEqual(['DUMP_MODULES']);
    for (const name of ['DUMP_VHOSTS', 'DUMP_RUN_CFG', 'DUMP_MODULES', 'DUMP_INCLUDES']) {
      expect(run(['-D', name]).configTestOnly).toBe(true);
    }
    expect(run(['-D', 'FOREGROUND']).configTestOnly).toBe(false);
  });

  test('-v, -V, -l and -h act at once, even after other options', () => {
    expect(parseArgs(['-t', '-v']).kind).toBe('version');
    expect(parseArgs(['-tv']).kind).toBe('version');
    expect(parseArgs(['-V']).kind).toBe('compile-settings');
    expect(parseArgs(['-l']).kind).toBe('compiled-modules');
    expect(parseArgs(['-h'])).toEqual({ kind: 'usage' });
  });

  test('usage errors as httpd reports them', () => {
    expect(parseArgs(['-x'])).toEqual({ kind: 'usage', message: 'featherd: illegal option -- x' });
    expect(parseArgs(['-f'])).toEqual({ kind: 'usage', message: 'featherd: option requires an argument -- f' });
    expect(parseArgs(['-t', 'extra'])).toEqual({ kind: 'usage' });
    expect(parseArgs(['extra', '-t'])).toEqual({ kind: 'usage' });
    expect(parseArgs(['-e', 'loud'])).toEqual({ kind: 'usage' });
    expect(parseArgs(['-k', 'reload'])).toEqual({ kind: 'usage' });
    expect(parseArgs(['--frobnicate']).kind).toBe('usage');
  });

  test('-k actions, -e levels, -E and -T', () => {
    expect(run(['-k', 'graceful-stop']).signal).toBe('graceful-stop');
    expect(run(['-e', 'WARNING']).logLevel).toBe('warn');
    expect(run(['-eerror']).logLevel).toBe('error');
    expect(run(['-E', 'startup.log']).errorLogFile).toBe('startup.log');
    expect(run(['-T']).noDocumentRootCheck).toBe(true);
    expect(parseLogLevel('debug')).toBe('debug');
    expect(parseLogLevel('trace1')).toBeUndefined();
  });

  test('featherd long options', () => {
    expect(run(['--format', 'sarif', '-t']).format).toBe('sarif');
    expect(run(['--format=json']).format).toBe('json');
    expect(run(['--no-lint']).lint).toBe(false);
    expect(run(['-t']).format).toBe('text');
    expect(parseArgs(['--format', 'xml']).kind).toBe('usage');
    expect(parseArgs(['--format']).kind).toBe('usage');
    expect(run(['-t', '--']).configTestOnly).toBe(true);
    expect(parseArgs(['--', '-t'])).toEqual({ kind: 'usage' });
  });
});
