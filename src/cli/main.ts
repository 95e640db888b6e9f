import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultRegistry } from '../modules/index.js';
import { lintFindings } from '../lint/run.js';
import { configErrors } from '../lint/verdict.js';
import { allRules } from '../lint/rules/index.js';
import { formatText } from '../lint/format/text.js';
import { formatJson } from '../lint/format/json.js';
import { formatSarif } from '../lint/format/sarif.js';
import type { ReadOptions } from '../config/reader.js';
import type { ConfigError, Diagnostic } from '../util/diagnostics.js';
import { parseArgs, type CliOptions } from './args.js';
import { directivesText } from './directives.js';
import { includesText, modulesText, runConfigText } from './dump.js';
import { localHost, vhostsText } from './dump-vhosts.js';
import { coreServer } from '../modules/core/config.js';
import { errorExtras } from './excerpt.js';
import type { CliIo } from './io.js';
import { printWarnings } from './log.js';
import { httpdErrorText, loadForCli, type Loaded } from './pipeline.js';
import { usageText } from './usage.js';
import { compiledModulesText, compileSettingsText, PRODUCT, versionText, serverDescription } from './version.js';

export type { CliIo } from './io.js';

/** The program name in messages (httpd prints its argv[0] short name there). */
const ARGV0 = PRODUCT;
/** -D names that put httpd in its config-dump run mode (main.c). */
const DUMP_DEFINES = ['DUMP_VHOSTS', 'DUMP_RUN_CFG', 'DUMP_MODULES', 'DUMP_INCLUDES'];
/** httpd's SERVER_CONFIG_FILE, relative to the ServerRoot. */
export const DEFAULT_CONFIG_FILE = 'conf/httpd.conf';

/** The `featherd` command (bin/featherd): runs with the real process streams. */
export async function main(argv: string[]): Promise<number> {
  return runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}

/** The command line, with its streams, environment and working directory given (for tests). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv, ARGV0);
  switch (parsed.kind) {
    case 'usage':
      io.stderr.write((parsed.message ? parsed.message + '\n' : '') + usageText(ARGV0));
      return 1;
    case 'version':
      io.stdout.write(versionText());
      return 0;
    case 'compile-settings':
      io.stdout.write(compileSettingsText());
      return 0;
    case 'compiled-modules':
      io.stdout.write(compiledModulesText(defaultRegistry()));
      return 0;
    case 'run':
      return run(parsed.options, io);
  }
}

async function run(o: CliOptions, io: CliIo): Promise<number> {
  const registry = defaultRegistry();
  const serverRoot = resolve(io.cwd, o.serverRoot ?? '.');
  // httpd's startup messages (warnings, errors, Syntax OK) go to -E's file when given.
  const log = (s: string) => {
    if (o.errorLogFile) appendFileSync(resolve(serverRoot, o.errorLogFile), s);
    else io.stderr.write(s);
  };
  // Also what a running server reads again on a restart.
  const readOptions: ReadOptions = {
    file: o.configFile ?? DEFAULT_CONFIG_FILE,
    serverRoot,
    defines: o.defines,
    env: io.env,
    preDirectives: o.preDirectives,
    postDirectives: o.postDirectives,
    registry,
  };
  const loaded: Loaded = loadForCli({ ...readOptions, configDump: o.defines.some((d) => DUMP_DEFINES.includes(d)) }, ARGV0);
  const dumping = (name: string) => loaded.tree?.defines.includes(name) ?? o.defines.includes(name);
  const httpdDiags = loaded.diagnostics.filter((d) => d.rule === 'httpd');
  const ownDiags = loaded.diagnostics.filter((d) => d.rule !== 'httpd');
  printWarnings(httpdDiags, log, o.logLevel);

  // httpd lists the included files while reading, so they show even when the walk fails.
  if (loaded.tree && dumping('DUMP_INCLUDES')) io.stdout.write(includesText(loaded.tree));

  const error: ConfigError | undefined = loaded.error;
  if (error || !loaded.tree || !loaded.state) {
    const e: ConfigError = error ?? { phase: 'plain', message: 'Configuration could not be read' };
    log((loaded.mpmError ?? httpdErrorText(e, ARGV0)) + errorExtras(e, io.cwd));
    report(o, io, [...httpdDiags, ...ownDiags], e);
    return 1;
  }
  const { tree, state } = loaded;

  // httpd names a main server without ServerName after the machine, and warns when that name is not qualified.
  let mainName = coreServer(state.mainServer).serverName?.host;
  if (mainName === undefined) {
    const local = await localHost();
    mainName = local.name;
    if (!local.fqdn && !httpdDiags.some((d) => d.code === 'AH00558')) {
      log(
        `AH00558: ${ARGV0}: Could not reliably determine the server's fully qualified domain name, using ${local.name}. ` +
          `Set the 'ServerName' directive globally to suppress this message\n`,
      );
    }
  }

  if (o.listDirectives) {
    const loadedSet = new Set(tree.loadedModules);
    io.stdout.write(directivesText(registry.modules.filter((m) => loadedSet.has(m.id))));
    return 0;
  }

  const dumps = DUMP_DEFINES.some(dumping);
  if (dumping('DUMP_VHOSTS')) io.stdout.write(await vhostsText(state, mainName));
  if (dumping('DUMP_RUN_CFG')) io.stdout.write(runConfigText(state, tree));
  if (dumping('DUMP_MODULES')) io.stdout.write(modulesText(tree, registry));

  // featherd's own errors are shown after httpd's lines even without lint findings, and fail
  // the check: httpd would serve what featherd cannot, so "Syntax OK" would hide a difference.
  const blocking = configErrors(ownDiags);
  const findings = o.lint ? lintFindings({ state, tree, diagnostics: loaded.diagnostics }) : blocking;
  if (o.format === 'text') {
    if (findings.length) log(formatText(findings, io.cwd));
  } else {
    report(o, io, [...httpdDiags, ...findings], undefined);
  }
  if (blocking.length > 0) {
    const which = blocking.length === 1 ? 'the error above names' : `the ${blocking.length} errors above name`;
    log(`${ARGV0}: Configuration check failed: ${which} what featherd cannot serve as httpd would\n`);
    return 1;
  }

  if (o.configTestOnly) {
    if (!dumps) log('Syntax OK\n');
    return 0;
  }
  // The serving code (node:http, undici, the request phases) is loaded only when serving.
  const { serve } = await import('./serve.js');
  return serve({ options: o, readOptions, tree, state, io });
}

/** JSON or SARIF on stdout (text findings are written to stderr by the caller). */
function report(o: CliOptions, io: CliIo, diags: Diagnostic[], error: ConfigError | undefined): void {
  const errors = new Set(configErrors(diags));
  const shown = o.lint ? diags : diags.filter((d) => d.rule === 'httpd' || errors.has(d));
  if (o.format === 'json') io.stdout.write(formatJson(shown, error, io.cwd));
  else if (o.format === 'sarif') {
    io.stdout.write(formatSarif(shown, error, allRules, io.cwd, { name: PRODUCT, version: serverDescription().split(/[/ ]/)[1] }));
  }
}
