/**
 * The one-pass header builders of forward.ts against a plain model of what httpd does with its
 * header tables (apr_table_set / apr_table_mergen / removal of hop-by-hop headers), on random
 * header lists.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { buildRequestHeaders, getHeader, mergeHeader, pairs, relayResponseHeaders, requestHeaderArray, setHeader, type ForwardOptions, type HeaderList } from './forward.js';

const NAMES = [
  'Host', 'host', 'Connection', 'connection', 'X-Forwarded-For', 'x-forwarded-host', 'X-Forwarded-Server', 'Via', 'via', 'Max-Forwards',
  'Proxy-Authorization', 'TE', 'Keep-Alive', 'Expect', 'Content-Length', 'Transfer-Encoding', 'Accept', 'X-Custom', 'Upgrade', 'Trailer',
  'Proxy-Connection', 'X-Forwarded-Proto', 'Date', 'Location', 'Set-Cookie', 'Expires', 'Proxy-Authenticate',
];
const VALUES = ['a', 'close', 'keep-alive, X-Custom', 'x-forwarded-for; accept', '10', 'Tue, 01 Jan 2030 00:00:00 GMT', '', 'http://backend/x', 'id=1; path=/app'];

function model(req: IncomingMessage, o: ForwardOptions, maxForwards: number | null): HeaderList {
  const tokens = (list: HeaderList): Set<string> => {
    const out = new Set<string>();
    for (const [n, v] of list) {
      if (n.toLowerCase() !== 'connection') continue;
      for (const t of v.split(/[,;]/)) if (t.trim()) out.add(t.trim().toLowerCase());
    }
    return out;
  };
  const remove = (list: HeaderList, names: string[]): HeaderList => list.filter(([n]) => !names.includes(n.toLowerCase()));
  let list = pairs(req.rawHeaders);
  const authority = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(req.url ?? '')?.[1];
  if (authority !== undefined) setHeader(list, 'Host', authority);
  const clientHost = getHeader(list, 'host');
  list = remove(list, ['proxy-connection', 'connection', 'keep-alive', 'upgrade', 'trailer', 'te', ...tokens(list), 'transfer-encoding', 'content-length', 'expect', 'host']);
  if (o.authenticatedUser && !o.chainAuth) list = remove(list, ['proxy-authorization']);
  list.unshift(['Host', o.preserveHost ? (clientHost ?? o.serverName) : 'backend.test:8080']);
  if (maxForwards !== null) setHeader(list, 'Max-Forwards', String(maxForwards));
  const via = o.via ?? 'off';
  if (via === 'block') list = remove(list, ['via']);
  else if (via !== 'off') mergeHeader(list, 'Via', `1.1 ${o.serverName}:${o.serverPort}${via === 'full' ? ` (${o.viaComment})` : ''}`);
  if (o.addHeaders !== false) {
    mergeHeader(list, 'X-Forwarded-For', o.clientIp);
    if (clientHost !== undefined) mergeHeader(list, 'X-Forwarded-Host', clientHost);
    mergeHeader(list, 'X-Forwarded-Server', o.serverName);
  }
  return list;
}

const headerList = fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES)), { maxLength: 12 });

function options(extra: Partial<ForwardOptions>): ForwardOptions {
  return {
    target: { url: 'http://backend.test:8080/x', pathAndQuery: '/x', netloc: { scheme: 'http', host: 'backend.test', port: 8080, explicitPort: true } } as ForwardOptions['target'],
    dispatcher: undefined as never,
    reuse: true,
    timeoutMs: 1000,
    serverName: 'front.test',
    serverPort: 8081,
    clientIp: '192.0.2.7',
    viaComment: 'featherd/test',
    ...extra,
  };
}

test('request headers: one pass gives what the table operations give', () => {
  fc.assert(
    fc.property(
      headerList,
      fc.record({
        absolute: fc.boolean(),
        preserveHost: fc.boolean(),
        addHeaders: fc.boolean(),
        authenticatedUser: fc.boolean(),
        chainAuth: fc.boolean(),
        via: fc.constantFrom('off', 'on', 'full', 'block') as fc.Arbitrary<ForwardOptions['via']>,
        maxForwards: fc.option(fc.integer({ min: 0, max: 20 })),
      }),
      (list, x) => {
        const req = { rawHeaders: list.flat(), url: x.absolute ? 'http://abs.test:81/p' : '/p', httpVersionMajor: 1, httpVersionMinor: 1 } as unknown as IncomingMessage;
        const o = options({ preserveHost: x.preserveHost, addHeaders: x.addHeaders, authenticatedUser: x.authenticatedUser, chainAuth: x.chainAuth, via: x.via });
        const want = model(req, o, x.maxForwards);
        expect(buildRequestHeaders(req, o, x.maxForwards)).toEqual(want);
        expect(requestHeaderArray(req, o, x.maxForwards)).toEqual(want.flat());
      },
    ),
    { numRuns: 400 },
  );
});

test('response headers: hop-by-hop and Connection-named headers dropped, dates made RFC 1123, the rest kept in order, repeats grouped', () => {
  fc.assert(
    fc.property(headerList, fc.constantFrom('off', 'on') as fc.Arbitrary<ForwardOptions['via']>, fc.boolean(), (list, via, asBuffers) => {
      const req = { method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as unknown as IncomingMessage;
      const named = new Set<string>();
      for (const [n, v] of list) if (n.toLowerCase() === 'connection') for (const t of v.split(/[,;]/)) if (t.trim()) named.add(t.trim().toLowerCase());
      const te = list.some(([n]) => n.toLowerCase() === 'transfer-encoding');
      const drop = new Set(['proxy-connection', 'connection', 'keep-alive', 'proxy-authenticate', 'te', 'trailer', 'upgrade', 'transfer-encoding', ...named, ...(te ? ['content-length'] : [])]);
      const want: HeaderList = list
        .filter(([n]) => !drop.has(n.toLowerCase()))
        .map(([n, v]) => {
          const lower = n.toLowerCase();
          if (lower !== 'date' && lower !== 'expires') return [n, v];
          const t = Date.parse(v);
          return [n, Number.isNaN(t) ? v : new Date(t).toUTCString()];
        });
      if (via === 'on') want.push(['Via', '1.1 front.test:8081']);
      // A repeated name: one header, all its values in order, at its first place and spelling.
      const grouped: [string, string | string[]][] = [];
      for (const [n, v] of want) {
        const at = grouped.findIndex(([g]) => g.toLowerCase() === n.toLowerCase());
        if (at < 0) grouped.push([n, v]);
        else grouped[at][1] = [grouped[at][1], v].flat();
      }
      // The relayed length: the first Content-Length value, when it is a number.
      const length = [grouped.find(([n]) => n.toLowerCase() === 'content-length')?.[1]].flat()[0];
      const res = new ServerResponse(req);
      const raw = list.flat().map((x) => (asBuffers ? Buffer.from(x, 'latin1') : x));
      const relayed = relayResponseHeaders(res, raw, req, options({ via }));
      // getRawHeaderNames (Node ≥ 15.13: names as set) is missing from this @types/node.
      const names = (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames();
      expect(names.map((n) => [n, res.getHeader(n)])).toEqual(grouped);
      expect(relayed).toBe(typeof length === 'string' && /^\d{1,15}$/.test(length) ? Number(length) : -1);
    }),
    { numRuns: 400 },
  );
});
