/** Reading the body of a request the server answers itself (one no handler forwards). */
import type { IncomingMessage } from 'node:http';

export interface BodyRead {
  /** More than the limit came: reading stopped there, the rest is left unread. */
  over: boolean;
  /** The body, when asked to keep it and it was not over (else empty). */
  data: Buffer;
}

const EMPTY = Buffer.alloc(0);

/** Read a request body up to `limit` bytes, keeping it or dropping it as it comes. */
export function readBodyUpTo(req: IncomingMessage, limit: number, keep: boolean): Promise<BodyRead> {
  if (req.readableEnded || req.destroyed) return Promise.resolve({ over: false, data: EMPTY });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    const done = (over: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onEnd);
      req.off('close', onEnd);
      if (over) req.pause();
      resolve({ over, data: over || !keep ? EMPTY : Buffer.concat(chunks) });
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) done(true);
      else if (keep) chunks.push(chunk);
    };
    const onEnd = () => done(false);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onEnd);
    req.once('close', onEnd);
  });
}
