import type { Cmd, ModuleDef } from '../../directives/types.js';
import { OR_FILEINFO } from '../../directives/types.js';
import { validateExpr } from '../proxy_hcheck/expr.js';

const NOTE = 'featherd has no FastCGI backend support; fcgi:// targets answer 500';

/** cmd_setenv: ProxyFCGISetEnvIf condition [!]name [value] */
function setEnvIf(cmd: Cmd, args: string[]): string | undefined {
  const [cond, name, value] = args;
  const hcheck = cmd.state.tree.loadedModules.includes('proxy_hcheck_module');
  let err = validateExpr(cond, { hcheck });
  if (err) return `Could not parse expression "${cond}": ${err}`;
  if (name.startsWith('!')) {
    if (value !== undefined) {
      return `Third argument ("${value}") is not allowed when using ProxyFCGISetEnvIf's unset mode (${name})`;
    }
    if (name.length === 1) return 'ProxyFCGISetEnvIf: "!" is not a valid variable name';
    return undefined;
  }
  err = validateExpr(value ?? '', { stringResult: true, hcheck });
  if (err) return `Could not parse expression "${value ?? ''}": ${err}`;
  return undefined;
}

/** mod_proxy_fcgi.c: FastCGI backends (configuration accepted and checked, not acted on). */
export const proxyFcgiModule: ModuleDef = {
  id: 'proxy_fcgi_module',
  file: 'mod_proxy_fcgi.c',
  requires: ['proxy_module'],
  directives: [
    {
      name: 'ProxyFCGIBackendType', args: 'TAKE1', contexts: OR_FILEINFO, support: 'ignored', note: NOTE,
      help: "Specify the type of FastCGI server: 'Generic', 'FPM'",
      handler: (_cmd, args) => {
        const v = args[0].toLowerCase();
        if (v !== 'generic' && v !== 'fpm') return "ProxyFCGIBackendType requires one of the following arguments: 'GENERIC', 'FPM'";
        return undefined;
      },
    },
    {
      name: 'ProxyFCGISetEnvIf', args: 'TAKE23', contexts: OR_FILEINFO, support: 'ignored', note: NOTE,
      help: 'expr-condition env-name expr-value', handler: setEnvIf,
    },
  ],
};
