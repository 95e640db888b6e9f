/**
 * undici, loaded on first use. A configtest (`featherd -t`) or a server that proxies nothing
 * never reads its files; the first pool, client or connector made loads it (CommonJS, so
 * through require: the call sites are synchronous).
 */
import { createRequire } from 'node:module';

type Undici = typeof import('undici');

let loaded: Undici | undefined;

export function undici(): Undici {
  return (loaded ??= createRequire(import.meta.url)('undici') as Undici);
}
