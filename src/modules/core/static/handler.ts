/**
 * The core's default handler for local files (default_handler in core.c): OPTIONS and the
 * Allow list, 404 for what does not exist, directories and unwanted path info, 405 for
 * methods other than GET/HEAD/POST, and the file itself through `send` (conditional requests),
 * with httpd's ETag, and the content type the type checkers chose. Byte ranges are answered
 * by httpd's rules (byterange.ts), one range or several (multipart/byteranges), once the
 * request's conditions hold (a 412 or 304 is `send`'s answer).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import fresh from 'fresh';
import send from 'send';
import type { ConfigSet } from '../../../directives/types.js';
import type { CompiledConfig } from '../../../runtime/compile/types.js';
import { errorPage } from '../../../runtime/error-page.js';
import { httpError, type HttpError } from '../../../runtime/http-error.js';
import { requestState } from '../../../runtime/request.js';
import type { HookResult, RequestContext } from '../../../runtime/server.js';
import { coreDir, RANGES_DEFAULT, RANGES_NONE, type CoreDirConfig } from '../config.js';
import { directoryListing } from './listing.js';
import { effectiveOptions } from './options.js';
import { byteRanges, DEFAULT_RANGE_LIMITS, partialBody, sendPieces, type ByteRange, type RangeAnswer, type RangeLimits } from './byterange.js';
import { ETAG_DIGEST, ETAG_NONE, etagBits, fileEtag } from './etag.js';
import { contentType, fileInfo } from './state.js';

/** mod_rewrite's [T=] note (`rewrite-forced-mimetype`), applied after every other type. */
export const FORCED_TYPE_NOTE = 'rewrite-forced-mimetype';

/** What the static handler needs to know about the loaded modules. */
export interface StaticSettings {
  /** mod_autoindex is loaded: directories without an index get a listing or a 403. */
  autoindex: boolean;
}

/** The response's Content-Type: [T=], ForceType, the type checker's choice; AddDefaultCharset. */
function responseType(ctx: RequestContext, dir: ConfigSet): string | undefined {
  const core = coreDir(dir);
  const forced = ctx.notes.get(FORCED_TYPE_NOTE);
  let type = forced ?? (core.forceType !== undefined && core.forceType !== 'none' ? core.forceType : contentType(ctx));
  if (type === undefined) return undefined;
  const cs = core.addDefaultCharset;
  if (cs && /^text\/(plain|html)\s*$/i.test(type)) type = `${type}; charset=${cs}`;
  return type;
}

function allowList(compiled: CompiledConfig, ctx: RequestContext): string {
  const trace = requestState(ctx)?.server.core.traceEnable ?? compiled.main.core.traceEnable;
  return trace === 'off' ? 'GET,POST,OPTIONS,HEAD' : 'GET,POST,OPTIONS,HEAD,TRACE';
}

function notAllowed(compiled: CompiledConfig, ctx: RequestContext): HttpError {
  return { ...httpError(405, `method ${ctx.method} not allowed for ${ctx.uri}`), headers: { Allow: allowList(compiled, ctx) } };
}

/** Path segments percent-encoded for `send`, which takes a URL path. */
function sendPath(filename: string): string {
  const utf8 = Buffer.from(filename, 'latin1').toString('utf8');
  return utf8.split('/').map(encodeURIComponent).join('/');
}

/** Keeps `send` from choosing a Content-Type: the one given (or none) is used instead. */
function pinContentType(res: ServerResponse, type: string | undefined): () => void {
  const original = res.setHeader;
  res.setHeader = function (this: ServerResponse, name: string, value: number | string | readonly string[]) {
    if (name.toLowerCase() === 'content-type') {
      if (type !== undefined && value !== 'text/html; charset=UTF-8') return original.call(this, name, type);
      if (type === undefined && value !== 'text/html; charset=UTF-8') return this;
    }
    return original.call(this, name, value);
  } as ServerResponse['setHeader'];
  return () => {
    res.setHeader = original;
  };
}

/** httpd's 416 answer: its error page, sent chunked as the byterange filter does. */
function unsatisfiable(ctx: RequestContext): HookResult {
  const res = ctx.res;
  for (const n of res.getHeaderNames()) if (n !== 'server') res.removeHeader(n);
  const page = errorPage({ status: 416, method: ctx.method });
  res.statusCode = 416;
  res.statusMessage = page.statusMessage;
  res.setHeader('Content-Type', 'text/html; charset=iso-8859-1');
  // Without a length: chunked on a kept connection, else up to the close (as httpd does).
  if (!res.shouldKeepAlive) res.useChunkedEncodingByDefault = false;
  if (ctx.method === 'HEAD') res.end();
  else {
    res.write(Buffer.from(page.body, 'latin1'));
    res.end();
  }
  return 'done';
}

/** The base64 SHA-1 of a file's content (FileETag Digest), or undefined when it cannot be read. */
function fileDigest(filename: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const hash = createHash('sha1');
    fs.createReadStream(filename)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('base64')))
      .on('error', () => resolve(undefined));
  });
}

/** The entity tags of an If-Match list (send's parseTokenList). */
function tokenList(value: string): string[] {
  return value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/**
 * The request as `send` is to see it: without Cache-Control, which httpd's conditions
 * (ap_meets_conditions) do not look at, but `send` (through `fresh`) does: `no-cache` would
 * turn a 304 into a 200.
 */
function requestForSend(req: RequestContext['req']): RequestContext['req'] {
  if (req.headers['cache-control'] === undefined) return req;
  const headers = { ...req.headers };
  delete headers['cache-control'];
  return Object.create(req, { headers: { value: headers } }) as RequestContext['req'];
}

/**
 * Whether `send` answers the request's conditions itself, 412 or 304, with the same tests it
 * makes (isPreconditionFailure, then fresh): the range answer then does not apply.
 */
function conditionsAnswer(req: RequestContext['req'], etag: string | undefined, lastModified: string): boolean {
  const h = req.headers;
  if (h['if-match'] === undefined && h['if-unmodified-since'] === undefined && h['if-none-match'] === undefined && h['if-modified-since'] === undefined) {
    return false;
  }
  const match = h['if-match'];
  if (match) {
    if (etag === undefined) return true;
    if (match !== '*' && tokenList(match).every((m) => m !== etag && m !== `W/${etag}` && `W/${m}` !== etag)) return true;
  } else {
    const unmodifiedSince = Date.parse(h['if-unmodified-since'] ?? '');
    if (!Number.isNaN(unmodifiedSince) && Date.parse(lastModified) > unmodifiedSince) return true;
  }
  return fresh(h, { etag, 'last-modified': lastModified });
}

/** What the range answers need of the file. */
interface FileFacts {
  size: number;
  mtime: Date;
}

/** MaxRanges, MaxRangeOverlaps and MaxRangeReversals as they apply (unset and `default`: httpd's). */
function rangeLimits(core: CoreDirConfig): RangeLimits {
  const limit = (v: number | undefined, fallback: number) => (v === undefined || v === RANGES_DEFAULT ? fallback : v);
  return {
    ranges: limit(core.maxRanges, DEFAULT_RANGE_LIMITS.ranges),
    overlaps: limit(core.maxRangeOverlaps, DEFAULT_RANGE_LIMITS.overlaps),
    reversals: limit(core.maxRangeReversals, DEFAULT_RANGE_LIMITS.reversals),
  };
}

/**
 * A Range request answered as httpd's byterange filter answers it (byterange.ts), or undefined
 * when `send` is to answer: no Range, or conditions that make a 412 or 304.
 */
function byteRangeAnswer(ctx: RequestContext, core: CoreDirConfig, stat: FileFacts, etag: string | undefined): RangeAnswer | undefined {
  const range = ctx.req.headers.range;
  if (range === undefined || ctx.req.httpVersionMajor === 0) return undefined;
  if (conditionsAnswer(requestForSend(ctx.req), etag, stat.mtime.toUTCString())) return undefined;
  // ap_condition_if_range: the validator must be the ETag or Last-Modified, as sent.
  const ifRange = ctx.req.headers['if-range'];
  if (typeof ifRange === 'string' && ifRange !== (ifRange.startsWith('"') ? etag : stat.mtime.toUTCString())) return { kind: 'whole' };
  return byteRanges(range, stat.size, rangeLimits(core));
}

/** A 206 answer for `ranges` of the file: Content-Range, or a multipart/byteranges body. */
function servePartial(ctx: RequestContext, filename: string, stat: FileFacts, ranges: ByteRange[], etag: string | undefined, type: string | undefined): Promise<HookResult> {
  const res = ctx.res;
  const body = partialBody(ranges, stat.size, type);
  res.statusCode = 206;
  res.setHeader('Last-Modified', stat.mtime.toUTCString());
  if (etag !== undefined) res.setHeader('ETag', etag);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Length', body.length);
  for (const [name, value] of body.headers) res.setHeader(name, value);
  if (ranges.length === 1 && type !== undefined) res.setHeader('Content-Type', type);
  if (ctx.method === 'HEAD') {
    res.end();
    return Promise.resolve('ok');
  }
  return sendPieces(ctx, filename, body.pieces);
}

function serveFile(ctx: RequestContext, core: CoreDirConfig, filename: string, stat: FileFacts, etag: string | undefined, type: string | undefined): Promise<HookResult> {
  const answer = byteRangeAnswer(ctx, core, stat, etag);
  if (answer?.kind === 'unsatisfiable') return Promise.resolve(unsatisfiable(ctx));
  if (answer?.kind === 'partial') return servePartial(ctx, filename, stat, answer.ranges, etag, type);
  const res = ctx.res;
  if (etag !== undefined) res.setHeader('ETag', etag);
  // `send` handles a Range only when byterange.ts has not (see above) and ranges are allowed;
  // otherwise Accept-Ranges is set here (ap_set_accept_ranges: `none` with MaxRanges none).
  const noRanges = core.maxRanges === RANGES_NONE;
  const sendRanges = answer === undefined && !noRanges;
  if (!sendRanges) res.setHeader('Accept-Ranges', noRanges ? 'none' : 'bytes');
  const restore = pinContentType(res, type);
  return new Promise<HookResult>((resolve) => {
    let settled = false;
    const done = (r: HookResult) => {
      if (settled) return;
      settled = true;
      restore();
      resolve(r);
    };
    const stream = send(requestForSend(ctx.req), sendPath(filename), {
      etag: false,
      lastModified: true,
      cacheControl: false,
      dotfiles: 'allow',
      index: false,
      acceptRanges: sendRanges,
    });
    stream.on('error', (err: Error & { status?: number; headers?: Record<string, string> }) => {
      const status = err.status ?? 500;
      restore();
      if (status === 412 && !res.headersSent) {
        // httpd answers a failed precondition with the file's headers and no body.
        res.statusCode = 412;
        res.setHeader('Content-Length', 0);
        res.end();
        return done('done');
      }
      if (res.headersSent) {
        res.destroy();
        return done('done');
      }
      res.removeHeader('ETag');
      res.removeHeader('Last-Modified');
      res.removeHeader('Accept-Ranges');
      res.removeHeader('Content-Range');
      if (status === 404) return done(httpError(404, `AH00128: File does not exist: ${filename}`));
      if (status === 416) return done(unsatisfiable(ctx));
      if (status === 412) return done(httpError(412, `precondition failed for ${filename}`));
      return done(httpError(status >= 400 && status < 600 ? status : 500, `(${err.message}) could not read ${filename}`));
    });
    res.on('close', () => done('done'));
    res.on('finish', () => done('ok'));
    stream.pipe(res);
  });
}

export async function defaultHandler(compiled: CompiledConfig, settings: StaticSettings, ctx: RequestContext): Promise<HookResult> {
  const st = requestState(ctx);
  if (ctx.uri === '*' && ctx.method === 'OPTIONS' && ctx.handler === undefined) {
    // `OPTIONS *`: the server itself answers, with no Allow list (ap_send_http_options).
    ctx.res.statusCode = 200;
    ctx.res.setHeader('Content-Length', 0);
    ctx.res.end();
    return 'ok';
  }
  const info = fileInfo(ctx);
  if (!st || !info || ctx.filename === undefined || ctx.handler === 'proxy-server') return 'declined';
  const filename = ctx.filename;
  const type = responseType(ctx, st.dir);
  if (ctx.method === 'OPTIONS') {
    const res = ctx.res;
    res.statusCode = 200;
    res.setHeader('Allow', allowList(compiled, ctx));
    res.setHeader('Content-Length', 0);
    if (type !== undefined) res.setHeader('Content-Type', type);
    res.end();
    return 'ok';
  }
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && ctx.method !== 'POST') return notAllowed(compiled, ctx);
  const stat = info.stat;
  if (!stat) return httpError(404, `AH00128: File does not exist: ${filename}${info.pathInfo}`);
  if (stat.isDirectory()) {
    if (!settings.autoindex) return httpError(404, `AH00129: Attempt to serve directory: ${filename}`);
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && ctx.method !== 'POST') return notAllowed(compiled, ctx);
    if (!effectiveOptions(st.dir).has('Indexes')) {
      const names = ctx.notes.get('dir-index-names') ?? 'index.html';
      return httpError(403, `AH01276: Cannot serve directory ${filename}: No matching DirectoryIndex (${names}) found, and server-generated directory index forbidden by Options directive`);
    }
    return directoryListing(ctx, filename);
  }
  if (info.pathInfo !== '') return httpError(404, `AH00130: File does not exist: ${filename}${info.pathInfo}`);
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && ctx.method !== 'POST') return notAllowed(compiled, ctx);
  const core = coreDir(st.dir);
  const bits = etagBits(core.etag);
  const digest = bits & ETAG_DIGEST && !(bits & ETAG_NONE) ? await fileDigest(filename) : undefined;
  const facts: FileFacts = { size: Number(stat.size), mtime: stat.mtime };
  return serveFile(ctx, core, filename, facts, fileEtag(stat, bits, Date.now(), digest), type);
}
