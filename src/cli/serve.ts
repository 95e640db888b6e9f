import type { ConfigTree } from '../config/ast.js';
import type { WalkState } from '../directives/types.js';
import type { CliOptions } from './args.js';
import type { CliIo } from './io.js';

/** Everything the server runtime gets once the configuration was read and checked. */
export interface ServeRequest {
  options: CliOptions;
  /** Absolute path of the main config file. */
  configFile: string;
  serverRoot: string;
  tree: ConfigTree;
  state: WalkState;
  io: CliIo;
}

/**
 * The one place where the command line hands over to the server runtime: `featherd` without
 * `-t`, and `featherd -k start|restart|graceful|graceful-stop|stop`. Returns the exit status.
 */
export async function serve(req: ServeRequest): Promise<number> {
  const what = req.options.signal ? `-k ${req.options.signal}` : 'running the server';
  req.io.stderr.write(
    `featherd: ${what} is not available yet: this build only checks configurations (use -t, -S or -M)\n`,
  );
  return 1;
}
