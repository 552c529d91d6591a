/**
 * The reason phrase of each status code, as node:http's `STATUS_CODES` has them (the IANA HTTP
 * Status Code Registry, with 418 and 509). Our own table instead of node:http's: importing
 * node:http costs about 2.5 ms of every start, and the transport uses nothing else of it.
 * `response-lines-are-built-on-first-use.test.ts` holds every line, 100-599, equal to one built
 * from node:http's table.
 */
export const REASON_PHRASES: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a Teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  509: 'Bandwidth Limit Exceeded',
  510: 'Not Extended',
  511: 'Network Authentication Required',
};

/** Filled on first use of each status: most of 100-599 are never sent. */
const statusLines: (string | undefined)[] = [];

/** `HTTP/1.1 200 OK\r\n` for a status code, built once, on first use. */
export function statusLine(status: number): string {
  const line = statusLines[status];
  if (line !== undefined) return line;
  if (status < 100 || status > 599 || !Number.isInteger(status)) return `HTTP/1.1 ${status} Unknown\r\n`;
  const built = `HTTP/1.1 ${status} ${REASON_PHRASES[status] ?? 'Unknown'}\r\n`;
  statusLines[status] = built;
  return built;
}
