/**
 * httpd's byterange filter (modules/http/byterange_filter.c) for local files: which byte ranges
 * of a file a `Range` header asks for, with httpd's rules (ap_set_byterange), and the 206
 * answer, a single part or `multipart/byteranges`.
 *
 * httpd's rules, which differ from other servers' (and from the `send` package's):
 *  - one byte-range-spec that does not parse (a space, a sign, `5-3`, `-0`, a number too large)
 *    makes the whole header ignored: the file is sent whole (200);
 *  - a spec starting at or past the end is skipped; when all are, the answer is 416;
 *  - each range is merged into the one before it when they overlap or touch (in the order given,
 *    counting overlaps and reversals); `0-` alone stands for the whole file;
 *  - more ranges after merging than MaxRanges (200), more overlaps or reversals than
 *    MaxRangeOverlaps and MaxRangeReversals (20 each), or ranges that add up to more than the
 *    file: the header is ignored.
 */
import fs from 'node:fs';
import type { RequestContext } from '../../../runtime/server.js';

/** MaxRanges, MaxRangeOverlaps, MaxRangeReversals in force: a number, or -1 for unlimited. */
export interface RangeLimits {
  ranges: number;
  overlaps: number;
  reversals: number;
}

/** httpd's AP_DEFAULT_MAX_RANGES, AP_DEFAULT_MAX_OVERLAPS and AP_DEFAULT_MAX_REVERSALS. */
export const DEFAULT_RANGE_LIMITS: Readonly<RangeLimits> = { ranges: 200, overlaps: 20, reversals: 20 };

/** First and last byte (inclusive). */
export type ByteRange = [number, number];

export type RangeAnswer =
  /** Send the whole file (no Range, or one httpd ignores). */
  | { kind: 'whole' }
  /** 416: every range starts past the end. */
  | { kind: 'unsatisfiable' }
  /** 206: one range (Content-Range) or several (multipart/byteranges). */
  | { kind: 'partial'; ranges: ByteRange[] };

const WHOLE: RangeAnswer = { kind: 'whole' };
const MAX_OFF_T = 9223372036854775807n;

/** apr_strtoff with nothing after the digits: a non-negative number, or undefined. */
function offset(digits: string): number | undefined {
  if (!/^[0-9]+$/.test(digits)) return undefined;
  if (digits.length >= 19 && BigInt(digits) > MAX_OFF_T) return undefined;
  return Number(digits);
}

/** ap_set_byterange: the ranges of a file of `length` bytes that `header` (a Range value) asks for. */
export function byteRanges(header: string, length: number, limits: Readonly<RangeLimits> = DEFAULT_RANGE_LIMITS): RangeAnswer {
  if (header.length < 6 || header.slice(0, 6).toLowerCase() !== 'bytes=' || length <= 0) return WHOLE;
  const ranges: ByteRange[] = [];
  let overlaps = 0;
  let reversals = 0;
  let unsatisfiable = false;
  let merging = false;
  let from = 0;
  let to = 0;
  let sum = 0;
  // ap_getword: runs of commas separate words; an empty word (the end) stops.
  for (const spec of header.slice(6).split(/,+/)) {
    if (spec === '') break;
    const dash = spec.indexOf('-');
    if (dash < 0) return WHOLE;
    let start: number;
    let end: number;
    if (dash === 0) {
      const n = offset(spec.slice(1));
      if (n === undefined || n < 1) return WHOLE;
      start = length - n;
      end = length - 1;
    } else {
      const s = offset(spec.slice(0, dash));
      if (s === undefined) return WHOLE;
      start = s;
      if (dash + 1 < spec.length) {
        const e = offset(spec.slice(dash + 1));
        if (e === undefined || start > e) return WHOLE;
        end = e;
      } else {
        end = length - 1;
        if (start === 0) {
          // `0-`: the whole file as one range, whatever else was asked for.
          ranges.length = 0;
          sum = 0;
          merging = true;
          from = 0;
          to = end;
          break;
        }
      }
    }
    if (start < 0) start = 0;
    if (start >= length) {
      unsatisfiable = true;
      continue;
    }
    if (end >= length) end = length - 1;
    if (!merging) {
      from = start;
      to = end;
      merging = true;
      continue;
    }
    let merged = start >= from && end <= to;
    if (start < from && end >= from - 1) {
      from = start;
      reversals++;
      merged = true;
    }
    if (end >= to && start <= to + 1) {
      to = end;
      merged = true;
    }
    if (merged) {
      overlaps++;
      continue;
    }
    ranges.push([from, to]);
    sum += to - from + 1;
    from = start;
    to = end;
  }
  if (merging) {
    ranges.push([from, to]);
    sum += to - from + 1;
  } else if (ranges.length === 0 && unsatisfiable) {
    return { kind: 'unsatisfiable' };
  }
  if (ranges.length === 0 || sum > length) return WHOLE;
  const over = (n: number, limit: number) => limit >= 0 && n > limit;
  if (over(ranges.length, limits.ranges) || over(overlaps, limits.overlaps) || over(reversals, limits.reversals)) return WHOLE;
  return { kind: 'partial', ranges };
}

/**
 * httpd's ap_multipart_boundary: 16 hex digits, made once per process (httpd makes it at
 * start-up from random bytes).
 */
let boundary: string | undefined;
function multipartBoundary(): string {
  boundary ??= Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  return boundary;
}

/** What a 206 answer sends: its headers and the pieces of its body, in order. */
export interface PartialBody {
  headers: [string, string][];
  /** Literal text (part headers, boundaries) and byte ranges of the file. */
  pieces: (string | ByteRange)[];
  length: number;
}

/** The 206 answer for `ranges` of a file of `length` bytes whose type is `type` (if any). */
export function partialBody(ranges: ByteRange[], length: number, type: string | undefined): PartialBody {
  if (ranges.length === 1) {
    const [start, end] = ranges[0];
    const headers: [string, string][] = [['Content-Range', `bytes ${start}-${end}/${length}`]];
    return { headers, pieces: [ranges[0]], length: end - start + 1 };
  }
  const b = multipartBoundary();
  const head = type !== undefined ? `\r\n--${b}\r\nContent-type: ${type}\r\nContent-range: bytes ` : `\r\n--${b}\r\nContent-range: bytes `;
  const pieces: (string | ByteRange)[] = [];
  let total = 0;
  for (const [start, end] of ranges) {
    const text = `${head}${start}-${end}/${length}\r\n\r\n`;
    pieces.push(text, [start, end]);
    total += Buffer.byteLength(text, 'latin1') + end - start + 1;
  }
  const tail = `\r\n--${b}--\r\n`;
  pieces.push(tail);
  total += tail.length;
  return { headers: [['Content-Type', `multipart/byteranges; boundary=${b}`]], pieces, length: total };
}

/** Write the pieces of a partial body to the response (the file read range by range), then end it. */
export function sendPieces(ctx: RequestContext, filename: string, pieces: (string | ByteRange)[]): Promise<'ok' | 'done'> {
  const res = ctx.res;
  return new Promise((resolve) => {
    let i = 0;
    let settled = false;
    let reading: fs.ReadStream | undefined;
    const settle = (r: 'ok' | 'done') => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    res.on('close', () => {
      // A client gone mid-range: the file is closed too.
      reading?.destroy();
      settle('done');
    });
    res.on('finish', () => settle('ok'));
    const next = (): void => {
      while (i < pieces.length) {
        const piece = pieces[i++];
        if (typeof piece === 'string') {
          if (!res.write(Buffer.from(piece, 'latin1'))) {
            res.once('drain', next);
            return;
          }
          continue;
        }
        const stream = fs.createReadStream(filename, { start: piece[0], end: piece[1] });
        reading = stream;
        stream.on('error', () => {
          // The file went away or shrank after the headers were sent: cut the response short.
          res.destroy();
          settle('done');
        });
        stream.on('end', next);
        stream.pipe(res, { end: false });
        return;
      }
      res.end();
    };
    next();
  });
}
