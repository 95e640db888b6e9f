/** httpd's ETag for a file (ap_make_etag), with the components FileETag selects. */
import type { BigIntStats } from 'node:fs';

/** httpd's etag_components_t bits (http_core.h). */
export const ETAG_UNSET = 0;
export const ETAG_NONE = 1 << 0;
export const ETAG_MTIME = 1 << 1;
export const ETAG_INODE = 1 << 2;
export const ETAG_SIZE = 1 << 3;
export const ETAG_DIGEST = 1 << 4;
export const ETAG_ALL = ETAG_MTIME | ETAG_INODE | ETAG_SIZE;
/** What a configuration without FileETag gets: `MTime Size`. */
const ETAG_BACKWARD = ETAG_MTIME | ETAG_SIZE;

/** The components in effect for a merged per-directory record's FileETag setting. */
export function etagBits(etag: { bits: number; add: number; remove: number } | undefined): number {
  if (!etag) return ETAG_BACKWARD;
  const bits = (etag.bits & ~etag.remove) | etag.add;
  return bits === ETAG_UNSET ? ETAG_BACKWARD : bits;
}

/**
 * `"<inode hex>-<size hex>-<mtime µs hex>"` with the components `bits` selects, weak (`W/`)
 * while the file changed less than a second ago; undefined for `FileETag None` (no ETag).
 * `digest` is the file's SHA-1 in base64, used when `bits` has ETAG_DIGEST.
 */
export function fileEtag(stat: BigIntStats, bits = ETAG_BACKWARD, nowMs = Date.now(), digest?: string): string | undefined {
  if (bits & ETAG_NONE) return undefined;
  const mtimeUs = stat.mtimeNs / 1000n;
  const weak = BigInt(nowMs) * 1000n - mtimeUs <= 1_000_000n ? 'W/' : '';
  if (bits & ETAG_DIGEST && digest !== undefined) return `${weak}"${digest}"`;
  const parts: string[] = [];
  if (bits & ETAG_INODE) parts.push(stat.ino.toString(16));
  if (bits & ETAG_SIZE) parts.push(stat.size.toString(16));
  if (bits & ETAG_MTIME) parts.push(mtimeUs.toString(16));
  return `${weak}"${parts.join('-')}"`;
}
