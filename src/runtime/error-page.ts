/**
 * httpd's status lines and default error documents (`ap_send_error_response`,
 * `get_canned_error_string` in modules/http/http_protocol.c), as httpd 2.4.71 sends them.
 */

/** httpd's reason phrases (`status_lines`), where they differ from or are missing in Node's. */
export const STATUS_LINES: Readonly<Record<number, string>> = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Request Entity Too Large',
  414: 'Request-URI Too Long', 415: 'Unsupported Media Type', 416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed', 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 510: 'Not Extended', 511: 'Network Authentication Required',
};

/** Statuses after which httpd closes the connection (`ap_status_drops_connection`). */
export function dropsConnection(status: number): boolean {
  return [400, 408, 411, 413, 414, 417, 500, 501, 503].includes(status);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface ErrorPageInput {
  status: number;
  method: string;
  /** The reason of an `ap_proxyerror`: status line `<code> Proxy Error` and the Reason paragraph. */
  reason?: string;
  /** httpd's `error-notes` shown by some pages (400, 414, 501, 502). */
  notes?: string;
  /** For redirects. */
  location?: string;
  /** ServerAdmin, shown on the 500 page. */
  serverAdmin?: string;
  /** The request's Expect header, quoted by the 417 page. */
  expect?: string;
}

export interface ErrorPage {
  statusMessage: string;
  body: string;
}

function canned(status: number, i: ErrorPageInput, notes: string | undefined): string {
  const withNotes = (prefix: string, suffix: string) => prefix + (notes ?? '') + suffix;
  switch (status) {
    case 301:
    case 302:
    case 307:
    case 308:
      return `<p>The document has moved <a href="${escapeHtml(i.location ?? '')}">here</a>.</p>\n`;
    case 303:
      return `<p>The answer to your request is located <a href="${escapeHtml(i.location ?? '')}">here</a>.</p>\n`;
    case 401:
    case 407:
      return '<p>This server could not verify that you\nare authorized to access the document\nrequested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\nbrowser doesn\'t understand how to supply\nthe credentials required.</p>\n';
    case 400:
      return withNotes('<p>Your browser sent a request that this server could not understand.<br />\n', '</p>\n');
    case 403:
      return withNotes("<p>You don't have permission to access this resource.", '</p>\n');
    case 404:
      return '<p>The requested URL was not found on this server.</p>\n';
    case 405:
      return `<p>The requested method ${escapeHtml(i.method)} is not allowed for this URL.</p>\n`;
    case 408:
      return '<p>Server timeout waiting for the HTTP request from the client.</p>\n';
    case 410:
      return '<p>The requested resource is no longer available on this server and there is no forwarding address.\nPlease remove all references to this resource.</p>\n';
    case 411:
      return withNotes(`<p>A request of the requested method ${escapeHtml(i.method)} requires a valid Content-length.<br />\n`, '</p>\n');
    case 413:
      return `The requested resource does not allow request data with ${escapeHtml(i.method)} requests, or the amount of data provided in\nthe request exceeds the capacity limit.\n`;
    case 414:
      return withNotes("<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n", '</p>\n');
    case 412:
      return '<p>The precondition on the request\nfor this URL evaluated to false.</p>\n';
    case 416:
      return '<p>None of the range-specifier values in the Range\nrequest-header field overlap the current extent\nof the selected resource.</p>\n';
    case 417: {
      const head =
        i.expect !== undefined
          ? `<p>The expectation given in the Expect request-header\nfield could not be met by this server.\nThe client sent<pre>\n    Expect: ${escapeHtml(i.expect)}\n</pre>\n`
          : '<p>No expectation was seen, the Expect request-header \nfield was not presented by the client.\n';
      return `${head}${notes ?? ''}</p><p>Only the 100-continue expectation is supported.</p>\n`;
    }
    case 421:
      return '<p>The client needs a new connection for this\nrequest as the requested host name does not match\nthe Server Name Indication (SNI) in use for this\nconnection.</p>\n';
    case 426:
      return '<p>The requested resource can only be retrieved\nusing SSL.  The server is willing to upgrade the current\nconnection to SSL, but your client doesn\'t support it.\nEither upgrade your client, or try requesting the page\nusing https://\n';
    case 501:
      return withNotes(`<p>${escapeHtml(i.method)} not supported for current URL.<br />\n`, '</p>\n');
    case 502:
      return withNotes('<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n', '</p>\n');
    case 503:
      return '<p>The server is temporarily unable to service your\nrequest due to maintenance downtime or capacity\nproblems. Please try again later.</p>\n';
    case 504:
      return '<p>The proxy server did not receive a timely response\nfrom the upstream server.</p>\n';
    default:
      if (notes !== undefined) return `${notes}<p />\n`;
      return (
        '<p>The server encountered an internal error or\nmisconfiguration and was unable to complete\nyour request.</p>\n' +
        `<p>Please contact the server administrator at \n ${escapeHtml(i.serverAdmin ?? '[no address given]')} to inform them of the time this error occurred,\n` +
        ' and the actions you performed just before this error.</p>\n<p>More information about this error may be available\nin the server error log.</p>\n'
      );
  }
}

/** The status message and HTML body httpd sends for an error status. */
export function errorPage(i: ErrorPageInput): ErrorPage {
  const base = STATUS_LINES[i.status] ?? 'Internal Server Error';
  const statusMessage = i.reason !== undefined ? 'Proxy Error' : base;
  const notes =
    i.reason !== undefined ? `The proxy server could not handle the request<p>Reason: <strong>${escapeHtml(i.reason)}</strong></p>` : i.notes;
  const title = `${i.status} ${statusMessage}`;
  const body =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n' +
    `<html><head>\n<title>${title}</title>\n</head><body>\n<h1>${statusMessage}</h1>\n` +
    canned(i.status, i, notes) +
    '</body></html>\n';
  return { statusMessage, body };
}
