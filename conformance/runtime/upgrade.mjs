// Protocol upgrades for the runtime conformance harness: WebSocket framing (RFC 6455) for the
// client and the echo backends, the backends' answer to an Upgrade request, and the client's
// exchange of messages or raw bytes once a request was switched (`101 Switching Protocols`).
import { createHash } from 'node:crypto';

/** The key every case's WebSocket handshake sends (RFC 6455's example), so the accept value is stable. */
export const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export function wsAccept(key) {
  return createHash('sha1').update(`${key}${WS_GUID}`).digest('base64');
}

/** One frame; a client's frames are masked (with a fixed mask: what is compared is the payload). */
export function encodeFrame(opcode, payload, masked) {
  const body = Buffer.from(payload);
  const len = body.length;
  const head = [0x80 | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) head.push(maskBit | len);
  else if (len < 65536) head.push(maskBit | 126, len >> 8, len & 0xff);
  else throw new Error('frames of 64 KiB and more are not needed here');
  if (!masked) return Buffer.concat([Buffer.from(head), body]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const out = Buffer.from(body);
  for (let i = 0; i < out.length; i++) out[i] ^= mask[i % 4];
  return Buffer.concat([Buffer.from(head), mask, out]);
}

/** Parse one frame at the start of `buf`: `{ opcode, payload, consumed }`, or undefined while incomplete. */
export function decodeFrame(buf) {
  if (buf.length < 2) return undefined;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let len = buf[1] & 0x7f;
  let at = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    at = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    at = 10;
  }
  const mask = masked ? buf.subarray(at, at + 4) : null;
  if (masked) at += 4;
  if (buf.length < at + len) return undefined;
  const payload = Buffer.from(buf.subarray(at, at + len));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return { opcode, payload, consumed: at + len };
}

/** A close frame's payload as recorded: `close:1000` (plus the reason, if any). */
function closeText(payload) {
  if (payload.length < 2) return 'close';
  const reason = payload.subarray(2).toString('utf8');
  return `close:${payload.readUInt16BE(0)}${reason ? `:${reason}` : ''}`;
}

/**
 * The backends' answer to an Upgrade request when their spec has `upgrade: true`: `101` with the
 * client's Upgrade value (and `Sec-WebSocket-Accept`, and the first subprotocol offered, for a
 * WebSocket handshake), then an echo: every WebSocket text message comes back as `b<n>:<text>`
 * (a close frame is answered with close 1000), raw bytes come back prefixed with `b<n>:`.
 * `onOpen`/`onClose` count the tunnels.
 */
export function answerUpgrade(n, req, socket, head) {
  const value = String(req.headers.upgrade ?? '');
  const key = req.headers['sec-websocket-key'];
  const lines = ['HTTP/1.1 101 Switching Protocols', `Upgrade: ${value}`, 'Connection: Upgrade'];
  const ws = typeof key === 'string' && /^websocket$/i.test(value);
  if (ws) {
    lines.push(`Sec-WebSocket-Accept: ${wsAccept(key)}`);
    const proto = String(req.headers['sec-websocket-protocol'] ?? '').split(',')[0].trim();
    if (proto) lines.push(`Sec-WebSocket-Protocol: ${proto}`);
  }
  lines.push(`X-Backend: ${n}`);
  socket.on('error', () => socket.destroy());
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  let buf = Buffer.from(head);
  const prefix = `b${n}:`;
  const pump = () => {
    if (!ws) {
      if (buf.length) socket.write(Buffer.concat([Buffer.from(prefix), buf]));
      buf = Buffer.alloc(0);
      return;
    }
    for (;;) {
      const f = decodeFrame(buf);
      if (!f) return;
      buf = buf.subarray(f.consumed);
      if (f.opcode === 0x8) {
        socket.end(encodeFrame(0x8, Buffer.from([0x03, 0xe8]), false));
        return;
      }
      if (f.opcode === 0x9) socket.write(encodeFrame(0xa, f.payload, false));
      else if (f.opcode === 0x1 || f.opcode === 0x2) socket.write(encodeFrame(f.opcode, Buffer.concat([Buffer.from(prefix), f.payload]), false));
    }
  };
  socket.on('data', (chunk) => { buf = Buffer.concat([buf, chunk]); pump(); });
  socket.on('end', () => socket.end());
  pump();
}

/** Headers a `websocket` request gets unless it names them itself. */
export function websocketHeaders(req) {
  if (req.websocket === undefined) return [];
  const have = new Set(Object.keys(req.headers ?? {}).map((n) => n.toLowerCase()));
  const out = [];
  if (!have.has('upgrade')) out.push(['Upgrade', 'websocket']);
  if (!have.has('connection')) out.push(['Connection', 'Upgrade']);
  if (!have.has('sec-websocket-key')) out.push(['Sec-WebSocket-Key', WS_KEY]);
  if (!have.has('sec-websocket-version')) out.push(['Sec-WebSocket-Version', '13']);
  return out;
}

/**
 * After a 101 on `conn` (a ClientConnection): send each of `req.websocket` as a text message and
 * read the answer, then a close frame; or send each of `req.send` as raw bytes and read what comes
 * back, then half-close. Resolves to the record `{ received: [...], closed }`: the messages (or
 * chunks of bytes, `close:<code>` for a close frame) in arrival order, and whether the server
 * closed the connection within `ms`. `holdMs` keeps a WebSocket silent that long (or until the
 * server closes it) before the close frame.
 */
export async function exchangeUpgraded(conn, req, ms) {
  const received = [];
  const deadline = Date.now() + ms;
  const left = () => Math.max(0, deadline - Date.now());
  if (req.websocket !== undefined) {
    const take = () => {
      const f = decodeFrame(conn.buf);
      if (!f) return false;
      conn.buf = conn.buf.subarray(f.consumed);
      received.push(f.opcode === 0x8 ? closeText(f.payload) : f.opcode === 0xa ? `pong:${f.payload.toString('utf8')}` : f.payload.toString('utf8'));
      return true;
    };
    for (const msg of req.websocket) {
      conn.write(encodeFrame(0x1, msg, true));
      await conn.waitFor(() => take(), left());
    }
    // `holdMs`: stay silent that long first (an idle tunnel the server may close on its own).
    if (req.holdMs) await conn.waitFor(() => conn.closed, Math.min(req.holdMs, left()));
    conn.write(encodeFrame(0x8, Buffer.from([0x03, 0xe8]), true));
    await conn.waitFor(() => { while (take()); return received.some((r) => r.startsWith('close')); }, left());
  } else {
    for (const piece of req.send ?? []) {
      conn.write(Buffer.from(piece, 'latin1'));
      await conn.waitFor(() => conn.buf.toString('latin1').endsWith(piece), left());
      if (conn.buf.length) received.push(conn.buf.toString('latin1'));
      conn.buf = Buffer.alloc(0);
    }
    conn.end();
  }
  const closed = await conn.waitFor(() => conn.closed, left());
  if (conn.buf.length) received.push(conn.buf.toString('latin1'));
  conn.buf = Buffer.alloc(0);
  return { received, closed };
}
