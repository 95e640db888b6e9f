/** mod_env at run time: SetEnv / UnsetEnv / PassEnv of the merged per-dir config, in the fixups phase. */
import type { RuntimeHooks } from '../../runtime/compile/types.js';
import { requestState } from '../../runtime/request.js';
import type { EnvDirConfig } from './directives.js';

export const envRuntime: RuntimeHooks = {
  register(pipeline, _compiled, m) {
    pipeline.register('fixups', 'env:fixup', (ctx) => {
      const st = requestState(ctx);
      const conf = st?.dir.get(m) as EnvDirConfig | undefined;
      if (!conf) return 'declined';
      for (const [name, value] of conf.vars) {
        if (value === null) ctx.env.delete(name);
        else ctx.env.set(name, value);
      }
      return 'ok';
    });
  },
};
