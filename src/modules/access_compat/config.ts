import type { IpSubnet } from '../authz_host/ipsubnet.js';
import type { MethodLimit } from '../authz_core/limit.js';
import { limitApplies } from '../authz_core/limit.js';

export type AccessOrder = 'allow,deny' | 'deny,allow' | 'mutual-failure';

/** One word of `Allow from …` / `Deny from …`. */
export type AccessRule =
  | { type: 'all'; limit?: MethodLimit }
  | { type: 'env'; name: string; negate: boolean; limit?: MethodLimit }
  | { type: 'ip'; subnet: IpSubnet; limit?: MethodLimit }
  | { type: 'host'; domain: string; limit?: MethodLimit };

/** Per-directory record of mod_access_compat. */
export interface AccessCompatDirConfig {
  /** `Order` settings in config order, each for the methods in force when it was read. */
  orders: { order: AccessOrder; limit?: MethodLimit }[];
  allows: AccessRule[];
  denys: AccessRule[];
  /** `Satisfy` settings in config order. */
  satisfy: { value: 'all' | 'any'; limit?: MethodLimit }[];
}

export function createAccessDirConfig(): AccessCompatDirConfig {
  return { orders: [], allows: [], denys: [], satisfy: [] };
}

/** A more specific section replaces Order/Allow/Deny; Satisfy is inherited per method. */
export function mergeAccessDirConfig(base: AccessCompatDirConfig, add: AccessCompatDirConfig): AccessCompatDirConfig {
  const own = add.orders.length > 0 || add.allows.length > 0 || add.denys.length > 0;
  return {
    orders: own ? add.orders : base.orders,
    allows: own ? add.allows : base.allows,
    denys: own ? add.denys : base.denys,
    satisfy: [...base.satisfy, ...add.satisfy],
  };
}

/** The Order in force for a method (httpd's default: deny,allow). */
export function orderFor(conf: AccessCompatDirConfig, method: string): AccessOrder {
  let o: AccessOrder = 'deny,allow';
  for (const e of conf.orders) if (limitApplies(e.limit, method)) o = e.order;
  return o;
}

/** The Satisfy value in force for a method (default all). */
export function satisfyFor(conf: AccessCompatDirConfig, method: string): 'all' | 'any' {
  let s: 'all' | 'any' = 'all';
  for (const e of conf.satisfy) if (limitApplies(e.limit, method)) s = e.value;
  return s;
}
