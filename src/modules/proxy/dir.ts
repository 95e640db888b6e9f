/** mod_proxy's per-directory directives (valid in the server, <VirtualHost>, <Location> and <Proxy>). */
import type { Cmd } from '../../directives/types.js';
import type { ProxyDirConfig } from './config.js';
import { dirConf } from './config.js';

type Setter = (cmd: Cmd, args: string[]) => string | undefined;

function flagSetter(set: (d: ProxyDirConfig, on: boolean) => void): Setter {
  return (cmd, args) => {
    set(dirConf(cmd), args[0] === 'On');
    return undefined;
  };
}

export const setPreserveHost = flagSetter((d, on) => (d.preserveHost = on));
export const setAddHeaders = flagSetter((d, on) => (d.addHeaders = on));
export const setContinue100 = flagSetter((d, on) => (d.continue100 = on));
export const setInterpolateEnv = flagSetter((d, on) => (d.interpolateEnv = on));

/** ProxyErrorOverride Off|On [code …] (ITERATE: called once per word). */
export const setErrorOverride: Setter = (cmd, args) => {
  const d = dirConf(cmd);
  const arg = args[0];
  if (arg.toLowerCase() === 'off') d.errorOverride = false;
  else if (arg.toLowerCase() === 'on') d.errorOverride = true;
  else if (d.errorOverride !== undefined) {
    if (!/^[0-9]/.test(arg)) return 'ProxyErrorOverride: status codes to intercept must be numeric';
    if (!d.errorOverride) return "ProxyErrorOverride: status codes must follow a value of 'on'";
    const code = parseInt(arg, 10);
    if (code < 400 || code > 599) {
      return 'ProxyErrorOverride: status codes to intercept must be valid HTTP Status Codes >=400 && <600';
    }
    d.errorOverrideCodes.push(code);
    d.errorOverrideCodes.sort((a, b) => a - b);
  } else {
    return 'ProxyErrorOverride first parameter must be one of: off | on';
  }
  return undefined;
};
