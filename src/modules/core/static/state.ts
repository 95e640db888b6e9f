/**
 * What the local-content phases learn about a request and hand to each other, kept in
 * `ctx.data`: the file found by map_to_storage (httpd's `r->finfo`, `r->path_info`), the
 * content type chosen for it (mod_mime's type checker, ForceType, mod_rewrite's [T=]), and the
 * internal-redirect depth.
 */
import type { BigIntStats } from 'node:fs';
import type { RequestContext } from '../../../runtime/server.js';

export interface FileInfo {
  /** `lstat`/`stat` of `ctx.filename`, or null when nothing exists there. */
  stat: BigIntStats | null;
  /** The part of the URI beyond the file that exists (`r->path_info`), '' when none. */
  pathInfo: string;
}

const FINFO = Symbol('featherd.finfo');
const TYPE = Symbol('featherd.content-type');
const DEPTH = Symbol('featherd.redirect-depth');

export function setFileInfo(ctx: RequestContext, info: FileInfo | undefined): void {
  if (info) ctx.data.set(FINFO, info);
  else ctx.data.delete(FINFO);
}

/** The file behind the request, once map_to_storage looked at the filesystem. */
export function fileInfo(ctx: RequestContext): FileInfo | undefined {
  return ctx.data.get(FINFO) as FileInfo | undefined;
}

/** `r->content_type`: undefined leaves the response without a Content-Type (no type known). */
export function setContentType(ctx: RequestContext, type: string | undefined): void {
  if (type === undefined) ctx.data.delete(TYPE);
  else ctx.data.set(TYPE, type);
}

export function contentType(ctx: RequestContext): string | undefined {
  return ctx.data.get(TYPE) as string | undefined;
}

/** How many internal redirects led to the current request (LimitInternalRecursion). */
export function redirectDepth(ctx: RequestContext): number {
  return (ctx.data.get(DEPTH) as number | undefined) ?? 0;
}

export function setRedirectDepth(ctx: RequestContext, n: number): void {
  ctx.data.set(DEPTH, n);
}

/** A request path (bytes as one character each) as a filesystem path for node:fs. */
export function fsPath(p: string): Buffer {
  return Buffer.from(p, 'latin1');
}

export const SUBREQ_KEY = Symbol('featherd.subrequest');
const SUBREQ = SUBREQ_KEY;

/** Marks a request record as a sub-request (httpd's `r->main` set). */
export function markSubRequest(ctx: RequestContext): void {
  ctx.data.set(SUBREQ, true);
}

export function isSubRequest(ctx: RequestContext): boolean {
  return ctx.data.get(SUBREQ) === true;
}
