/** httpd's ETag for a file (ap_make_etag with the default `FileETag MTime Size`). */
import type { BigIntStats } from 'node:fs';

/** `"<size hex>-<mtime µs hex>"`, weak (`W/`) while the file changed less than a second ago. */
export function fileEtag(stat: BigIntStats, nowMs = Date.now()): string {
  const mtimeUs = stat.mtimeNs / 1000n;
  const tag = `"${stat.size.toString(16)}-${mtimeUs.toString(16)}"`;
  const weak = BigInt(nowMs) * 1000n - mtimeUs <= 1_000_000n;
  return weak ? `W/${tag}` : tag;
}
