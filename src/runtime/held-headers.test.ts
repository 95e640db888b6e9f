import http from 'node:http';
import net from 'node:net';
import { headerList, listGet, listNames, listObject, listReplay } from './held-headers.js';
import { holdHeaders, Pipeline, startServer, type RequestContext } from './server.js';

/** Node's getRawHeaderNames (missing from its typings). */
function rawNames(m: http.OutgoingMessage): string[] {
  return (m as unknown as { getRawHeaderNames(): string[] }).getRawHeaderNames();
}

/** The relayed headers as setHeader calls: names, lowercased names, values (grouped). */
type Calls = [string, string | string[]][];

const cases: [string, string, Calls][] = [
  ['plain', 'featherd', [['Content-Type', 'text/plain'], ['Content-Length', '100'], ['Date', 'Fri, 27 Nov 2026 15:00:00 GMT']]],
  ['no banner', '', [['Content-Type', 'text/plain'], ['ETag', '"x"']]],
  ['backend Server replaces the banner in place', 'featherd', [['content-type', 'text/html'], ['server', 'nginx'], ['X-A', '1']]],
  ['backend Server with two values', 'featherd', [['X-A', '1'], ['Server', ['a', 'b']]]],
  ['a repeated name grouped', 'featherd', [['Set-Cookie', ['a=1', 'b=2']], ['Vary', 'Accept'], ['x-long-header-name', 'v']]],
  ['Server without a banner', '', [['Server', 'backend'], ['Content-Length', '0']]],
];

describe('held header lists answer as Node’s header table', () => {
  test.each(cases)('%s', (_name, banner, calls) => {
    const table = new http.OutgoingMessage();
    if (banner) table.setHeader('Server', banner);
    for (const [n, v] of calls) table.setHeader(n, v);
    const list = headerList(
      banner,
      calls.map(([n]) => n),
      calls.map(([n]) => n.toLowerCase()),
      calls.map(([, v]) => v),
      calls.length,
    );
    expect(listNames(list, false)).toEqual(rawNames(table));
    expect(listNames(list, true)).toEqual(table.getHeaderNames());
    expect({ ...listObject(list) }).toEqual({ ...table.getHeaders() });
    for (const n of [...table.getHeaderNames(), 'SERVER', 'content-TYPE', 'absent']) expect(listGet(list, n)).toEqual(table.getHeader(n));
    // The list in wire order: each name's values in a row, where the table has the name.
    const wire: string[] = [];
    for (const n of rawNames(table)) {
      const v = table.getHeader(n) as string | string[];
      for (const x of Array.isArray(v) ? v : [v]) wire.push(n, String(x));
    }
    expect(list).toEqual(wire);
    // Moved into a table by setHeader, name by name, it is the same table.
    const again = new http.OutgoingMessage();
    listReplay(list, (n, v) => again.setHeader(n, v));
    expect(rawNames(again)).toEqual(rawNames(table));
    expect({ ...again.getHeaders() }).toEqual({ ...table.getHeaders() });
  });
});

describe('holdHeaders on featherd’s responses', () => {
  /** The raw head of the answer to a request, with the headers the log phase saw. */
  async function exchange(handler: (ctx: RequestContext) => void, request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n') {
    let logged: Record<string, unknown> = {};
    const p = new Pipeline()
      .register('handler', 'h', (ctx) => {
        handler(ctx);
        return 'ok';
      })
      .register('log', 'l', (ctx) => {
        logged = { ...ctx.res.getHeaders(), names: rawNames(ctx.res), type: ctx.res.getHeader('content-type') };
        return 'ok';
      });
    const r = await startServer(p, { listen: [{ host: '127.0.0.1', port: 0 }], serverBanner: 'featherd' });
    if (!r.ok) throw new Error(r.error);
    const { port } = r.value.addresses[0];
    const head = await new Promise<string>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(request));
      let d = '';
      s.on('data', (c) => {
        d += c.toString('latin1');
        const end = d.indexOf('\r\n\r\n');
        if (end >= 0) {
          s.destroy();
          resolve(d.slice(0, end).replace(/\r\nDate: [^\r]*/, '\r\nDate: -'));
        }
      });
      s.on('error', reject);
    });
    await new Promise((res) => setTimeout(res, 50));
    await r.value.close();
    return { head, logged };
  }
  const names = ['Content-Type', 'Set-Cookie', 'Content-Length'];
  const lows = names.map((n) => n.toLowerCase());
  const values: (string | string[])[] = ['text/plain', ['a=1', 'b=2'], '2'];

  test('a held list is the head, and the headers the log sees', async () => {
    const held = await exchange((ctx) => {
      expect(holdHeaders(ctx.res, names, lows, values, 3)).toBe(true);
      ctx.res.end('ok');
    });
    const set = await exchange((ctx) => {
      for (let i = 0; i < 3; i++) ctx.res.setHeader(names[i], values[i]);
      ctx.res.end('ok');
    });
    expect(held.head).toBe('HTTP/1.1 200 OK\r\nServer: featherd\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\nDate: -');
    expect(held).toEqual(set);
  });

  test('a change after holding moves the list into Node’s table in order', async () => {
    const held = await exchange((ctx) => {
      expect(holdHeaders(ctx.res, names, lows, values, 3)).toBe(true);
      ctx.res.setHeader('X-Later', 'y');
      ctx.res.removeHeader('Set-Cookie');
      ctx.res.end('ok');
    });
    expect(held.head).toBe('HTTP/1.1 200 OK\r\nServer: featherd\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nX-Later: y\r\nDate: -');
    expect(held.logged.names).toEqual(['Server', 'Content-Type', 'Content-Length', 'X-Later']);
  });

  test('headers touched first: not held', async () => {
    const touched = await exchange((ctx) => {
      ctx.res.getHeader('server');
      expect(holdHeaders(ctx.res, names, lows, values, 3)).toBe(false);
      ctx.res.end();
    });
    expect(touched.head).toBe('HTTP/1.1 200 OK\r\nServer: featherd\r\nDate: -\r\nContent-Length: 0');
  });

  test('a client asking for keep-alive: Keep-Alive and Connection after the held list, as after the table', async () => {
    const ask = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    const held = await exchange((ctx) => {
      expect(holdHeaders(ctx.res, names, lows, values, 3)).toBe(true);
      ctx.res.end('ok');
    }, ask);
    const set = await exchange((ctx) => {
      for (let i = 0; i < 3; i++) ctx.res.setHeader(names[i], values[i]);
      ctx.res.end('ok');
    }, ask);
    expect(held.head).toBe('HTTP/1.1 200 OK\r\nServer: featherd\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\nKeep-Alive: timeout=5, max=100\r\nConnection: Keep-Alive\r\nDate: -');
    expect(held).toEqual(set);
  });
});
