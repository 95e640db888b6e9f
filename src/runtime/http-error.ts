/**
 * An HTTP-level failure as a value. It becomes a status line and httpd's error page only at
 * the edge (server.ts `sendError`).
 */
export interface HttpError {
  status: number;
  /**
   * Set for errors raised like httpd's `ap_proxyerror`: the status line reads
   * `<code> Proxy Error` and the page shows `Reason: <strong>reason</strong>`.
   */
  reason?: string;
  /** What goes to the error log (httpd's message, with its AHnnnnn id when it has one). */
  logMessage: string;
  /** httpd's `error-notes`: extra text some error pages show (400, 411, 414, 501, 502). */
  notes?: string;
  /** Response headers to send with the error page (e.g. `Allow`, `Location`). */
  headers?: Record<string, string>;
  /**
   * The request body was left unread (LimitRequestBody): the page goes out without a length,
   * up to the connection's close, as httpd sends it.
   */
  unreadBody?: true;
}

export type HttpResult<T> = { ok: true; value: T } | { ok: false; error: HttpError };

export function httpError(status: number, logMessage: string, reason?: string): HttpError {
  return reason === undefined ? { status, logMessage } : { status, logMessage, reason };
}
