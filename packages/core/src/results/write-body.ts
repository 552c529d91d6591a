import { compressBody, DEFAULT_COMPRESSION, isCompressibleType, negotiateEncoding } from '@bbws/responses';
import type { HttpRequest, ResponseSink } from '@bbws/transport';
import { requestHeader } from './request-headers.js';
import type { ResultHooks } from './result-hooks.js';

const VARY = 'Vary: Accept-Encoding\r\n';
const CONTENT_TYPE_PREFIX = 'Content-Type: '.length;
/** Compressibility per Content-Type line; routes share a handful of lines, so this stays small. */
const compressibleByLine = new Map<string, boolean>();

/**
 * Hot: writes a complete body, compressed with br or gzip when the client accepts it, the
 * type is compressible and the body is at least the threshold. Compressible bodies above the
 * threshold carry `Vary: Accept-Encoding` either way, so a cache keeps the variants apart.
 * Small bodies (most API answers) return after two comparisons.
 * @param typeLine the `Content-Type` line (`''` for none); `otherLines` the rest of the head
 */
export function writeBody(
  sink: ResponseSink,
  status: number,
  typeLine: string,
  otherLines: string,
  body: string | Uint8Array | null,
  request: HttpRequest | undefined,
  hooks: ResultHooks | undefined,
  isEncoded = false,
): void {
  const compression = hooks?.compression ?? DEFAULT_COMPRESSION;
  if (body === null || request === undefined || compression === false || isEncoded || typeLine === '') {
    sink.send(status, typeLine + otherLines, body);
    return;
  }
  const threshold = compression.thresholdBytes ?? DEFAULT_COMPRESSION.thresholdBytes;
  const isBigEnough =
    typeof body === 'string'
      ? body.length * 3 >= threshold && Buffer.byteLength(body) >= threshold
      : body.byteLength >= threshold;
  if (!isBigEnough || status === 204 || status === 206 || status === 304 || !isCompressibleLine(typeLine)) {
    sink.send(status, typeLine + otherLines, body);
    return;
  }
  const coding = negotiateEncoding(
    requestHeader(request, 'accept-encoding'),
    compression.encodings ?? DEFAULT_COMPRESSION.encodings,
  );
  const lines = typeLine + otherLines + VARY;
  if (coding === null) {
    sink.send(status, lines, body);
    return;
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  compressBody(bytes, coding, compression).then(
    (compressed) => sink.send(status, `${lines}Content-Encoding: ${coding}\r\n`, compressed),
    (error: unknown) => {
      // zlib failing on a valid buffer is out of memory or a bug; the identity body is still right.
      process.emitWarning(error instanceof Error ? error : new Error(String(error)));
      sink.send(status, lines, body);
    },
  );
}

function isCompressibleLine(typeLine: string): boolean {
  let compressible = compressibleByLine.get(typeLine);
  if (compressible === undefined) {
    compressible = isCompressibleType(typeLine.slice(CONTENT_TYPE_PREFIX, -2));
    if (compressibleByLine.size < 256) compressibleByLine.set(typeLine, compressible);
  }
  return compressible;
}
