/**
 * A raw two-way tunnel between the client's socket and the backend's, after `101 Switching
 * Protocols` (httpd's `ap_proxy_tunnel_run`): bytes flow both ways with backpressure, an end
 * of one side half-closes the other, an error or the idle timeout tears both down. Errors never
 * escape (no unhandled 'error' events).
 */
import type { Duplex } from 'node:stream';

export interface TunnelResult {
  /** Bytes client → backend and backend → client. */
  up: number;
  down: number;
  /** Why it ended: both sides closed, an error on one side, or no traffic for the idle time. */
  reason: 'closed' | 'error' | 'timeout';
}

/**
 * Joins `client` and `backend` until both are closed. `idleMs` (> 0) bounds the time without
 * traffic in either direction. Resolves once both sockets are gone.
 */
export function runTunnel(client: Duplex, backend: Duplex, idleMs: number): Promise<TunnelResult> {
  return new Promise((resolve) => {
    const result: TunnelResult = { up: 0, down: 0, reason: 'closed' };
    let timer: NodeJS.Timeout | undefined;
    let open = 2;
    const teardown = (reason: TunnelResult['reason']): void => {
      if (result.reason === 'closed') result.reason = reason;
      client.destroy();
      backend.destroy();
    };
    const arm = (): void => {
      if (idleMs <= 0) return;
      if (timer) timer.refresh();
      else timer = setTimeout(() => teardown('timeout'), idleMs);
    };
    const closed = (): void => {
      if (--open > 0) return;
      if (timer) clearTimeout(timer);
      resolve(result);
    };
    for (const [from, to, dir] of [
      [client, backend, 'up'],
      [backend, client, 'down'],
    ] as const) {
      from.on('data', (chunk: Buffer) => {
        result[dir] += chunk.length;
        arm();
        if (!to.write(chunk)) {
          from.pause();
          to.once('drain', () => from.resume());
        }
      });
      // A half-close is passed on; the tunnel ends when both directions are done.
      from.on('end', () => {
        if (!to.destroyed) to.end();
      });
      from.on('error', () => teardown('error'));
      from.once('close', () => {
        // A side that went away without ending its half takes the other with it.
        if (!from.readableEnded || !from.writableFinished) to.destroy();
        closed();
      });
    }
    arm();
  });
}
