/** mod_macro (<Macro>, Use, UndefMacro), carried out while reading. */
import type { ConfigNode, RawNode } from './ast.js';
import type { ConfigError } from '../util/diagnostics.js';
import type { ReaderContext, ReaderFrame } from './reader.js';

export class MacroTable {
  constructor(private readonly reader: ReaderContext) {}

  execute(name: string, node: RawNode, _rawArgs: string, _into: ConfigNode[], frame: ReaderFrame): ConfigError | undefined {
    return this.reader.error(frame, `${name} is not supported by featherd yet`, node.loc);
  }
}
