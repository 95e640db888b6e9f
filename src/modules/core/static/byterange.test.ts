/**
 * httpd's byte-range rules (byterange.ts). conformance/runtime/static-byteranges-multi compares
 * the answers with Apache's; here: the limits, the parts' arithmetic on random ranges, and a
 * large file in several ranges over a real socket.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { byteRanges, partialBody, type ByteRange } from './byterange.js';
import { startSite } from './testing.js';

describe('byteRanges', () => {
  test('merging in the order given, skipping what starts past the end, 416 when nothing is left', () => {
    expect(byteRanges('bytes=0-1,4-5', 20)).toEqual({ kind: 'partial', ranges: [[0, 1], [4, 5]] });
    expect(byteRanges('bytes=4-5,0-1,1-2', 20)).toEqual({ kind: 'partial', ranges: [[4, 5], [0, 2]] });
    expect(byteRanges('bytes=0-1,2-3', 20)).toEqual({ kind: 'partial', ranges: [[0, 3]] });
    expect(byteRanges('bytes=0-1,30-40', 20)).toEqual({ kind: 'partial', ranges: [[0, 1]] });
    expect(byteRanges('bytes=30-40,50-', 20)).toEqual({ kind: 'unsatisfiable' });
    expect(byteRanges('bytes=0-,5-6', 20)).toEqual({ kind: 'partial', ranges: [[0, 19]] });
    expect(byteRanges('bytes=-3', 20)).toEqual({ kind: 'partial', ranges: [[17, 19]] });
  });

  test('a header httpd ignores: bad syntax, a number over 2^63-1, more than the file, the limits', () => {
    for (const h of ['bytes=0-1, 4-5', 'bytes=5-3', 'bytes=-0', 'bytes=1', 'bytes=9223372036854775808-', 'items=0-1', 'bytes=0-12,15-16,5-19']) {
      expect([h, byteRanges(h, 20)]).toEqual([h, { kind: 'whole' }]);
    }
    // 2^63-1 itself is a number: that range starts past the end.
    expect(byteRanges('bytes=0-1,9223372036854775807-', 20)).toEqual({ kind: 'partial', ranges: [[0, 1]] });
    const spaced = (n: number, step: number) => Array.from({ length: n }, (_, i) => `${i * step}-${i * step}`).join(',');
    // 200 separate ranges are served, 201 are not (MaxRanges' default).
    expect(byteRanges(`bytes=${spaced(200, 2)}`, 1000)).toMatchObject({ kind: 'partial' });
    expect(byteRanges(`bytes=${spaced(201, 2)}`, 1000)).toEqual({ kind: 'whole' });
    // MaxRanges unlimited (-1) and MaxRanges 1.
    expect(byteRanges(`bytes=${spaced(201, 2)}`, 1000, { ranges: -1, overlaps: 20, reversals: 20 })).toMatchObject({ kind: 'partial' });
    expect(byteRanges('bytes=0-1,4-5', 20, { ranges: 1, overlaps: 20, reversals: 20 })).toEqual({ kind: 'whole' });
    // 20 overlaps are allowed, 21 are not (MaxRangeOverlaps); the same for reversals.
    const overlapping = (n: number) => `bytes=0-9,${Array.from({ length: n }, () => '0-9').join(',')}`;
    expect(byteRanges(overlapping(20), 1000)).toEqual({ kind: 'partial', ranges: [[0, 9]] });
    expect(byteRanges(overlapping(21), 1000)).toEqual({ kind: 'whole' });
    const reversing = (n: number) => `bytes=${Array.from({ length: n + 1 }, (_, i) => `${(n - i) * 10}-${(n - i) * 10 + 9}`).join(',')}`;
    expect(byteRanges(reversing(20), 1000)).toEqual({ kind: 'partial', ranges: [[0, 209]] });
    expect(byteRanges(reversing(21), 1000)).toEqual({ kind: 'whole' });
  });

  test('every part lies in the file, and the body length is what the pieces add up to', () => {
    const spec = fc.oneof(
      fc.tuple(fc.nat(120), fc.nat(120)).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.nat(120).map((a) => `${a}-`),
      fc.integer({ min: 1, max: 120 }).map((n) => `-${n}`),
    );
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 100 }), fc.boolean(), (specs, length, typed) => {
        const answer = byteRanges(`bytes=${specs.join(',')}`, length);
        if (answer.kind !== 'partial') return;
        let sum = 0;
        for (const [a, b] of answer.ranges) {
          expect(a).toBeGreaterThanOrEqual(0);
          expect(b).toBeGreaterThanOrEqual(a);
          expect(b).toBeLessThan(length);
          sum += b - a + 1;
        }
        expect(sum).toBeLessThanOrEqual(length);
        const body = partialBody(answer.ranges, length, typed ? 'text/plain' : undefined);
        const bytes = body.pieces.reduce((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p, 'latin1') : p[1] - p[0] + 1), 0);
        expect(body.length).toBe(bytes);
      }),
      { numRuns: 2000 },
    );
  });
});

test('a large file in several ranges: each part holds its bytes, and Content-Length is the body length', async () => {
  // ASCII content: startSite writes files from strings.
  const content = Buffer.from(crypto.randomBytes(3 * 1024 * 1024).toString('base64').slice(0, 3 * 1024 * 1024));
  const site = await startSite({ 'htdocs/big.bin': content.toString() }, () => '');
  try {
    const ranges: ByteRange[] = [
      [2_000_000, 2_999_999],
      [10, 1_000_009],
      [3 * 1024 * 1024 - 5, 3 * 1024 * 1024 - 1],
    ];
    const r = await site.get('/big.bin', { Range: `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(',')}` });
    expect(r.status).toBe(206);
    expect(r.truncated).toBe(false);
    expect(Number(site.header(r, 'Content-Length'))).toBe(r.body.length);
    const boundary = /^multipart\/byteranges; boundary=([0-9a-f]{16})$/.exec(site.header(r, 'Content-Type') ?? '')?.[1];
    expect(boundary).toBeDefined();
    let at = 0;
    const text = r.body.toString('latin1');
    for (const [a, b] of ranges) {
      const head = `\r\n--${boundary}\r\nContent-range: bytes ${a}-${b}/${content.length}\r\n\r\n`;
      expect(text.slice(at, at + head.length)).toBe(head);
      at += head.length;
      expect(r.body.subarray(at, at + b - a + 1).equals(content.subarray(a, b + 1))).toBe(true);
      at += b - a + 1;
    }
    expect(text.slice(at)).toBe(`\r\n--${boundary}--\r\n`);
  } finally {
    await site.stop();
  }
});
