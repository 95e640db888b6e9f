import type { ConfigNode, ConfigSection } from '../config/ast.js';

/** Visit every node of a read configuration in file order, with its enclosing sections. */
export function eachNode(nodes: ConfigNode[], visit: (node: ConfigNode, parents: ConfigSection[]) => void, parents: ConfigSection[] = []): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    visit(n, parents);
    if (n.kind === 'section') eachNode(n.children, visit, [...parents, n]);
  }
}

