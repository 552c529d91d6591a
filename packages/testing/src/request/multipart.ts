import { randomBytes } from 'node:crypto';
import type { MultipartFile, MultipartInit, MultipartValue } from './test-request.js';

/** An encoded multipart/form-data body and the Content-Type that names its boundary. */
export interface EncodedMultipart {
  readonly contentType: string;
  readonly body: Buffer;
}

type Part = readonly [name: string, value: MultipartValue];

/**
 * Encodes fields and files as multipart/form-data (RFC 7578), escaping names and filenames
 * the way browsers do (`"` → `%22`, CR → `%0D`, LF → `%0A`).
 * @param boundary default: a random one that cannot occur in the parts
 */
export async function encodeMultipart(init: MultipartInit, boundary?: string): Promise<EncodedMultipart> {
  const parts = partsOf(init);
  const encoded: Buffer[] = [];
  for (const [name, value] of parts) encoded.push(...(await encodePart(name, value)));
  let mark = boundary ?? newBoundary();
  while (boundary === undefined && encoded.some((b) => b.includes(mark))) mark = newBoundary();
  const chunks: Buffer[] = [];
  for (let i = 0; i < encoded.length; i += 2) {
    chunks.push(Buffer.from(`--${mark}\r\n`, 'latin1'), encoded[i] as Buffer, encoded[i + 1] as Buffer, CRLF);
  }
  chunks.push(Buffer.from(`--${mark}--\r\n`, 'latin1'));
  return { contentType: `multipart/form-data; boundary=${mark}`, body: Buffer.concat(chunks) };
}

const CRLF = Buffer.from('\r\n');

function newBoundary(): string {
  return `bbws-test-${randomBytes(12).toString('hex')}`;
}

function partsOf(init: MultipartInit): Part[] {
  const parts: Part[] = [];
  if (init instanceof FormData) {
    for (const [name, value] of init) parts.push([name, value]);
    return parts;
  }
  for (const [name, value] of Object.entries(init)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly MultipartValue[]) parts.push([name, v]);
    else parts.push([name, value as MultipartValue]);
  }
  return parts;
}

/** Headers and content of one part. */
async function encodePart(name: string, value: MultipartValue): Promise<[Buffer, Buffer]> {
  const disposition = `Content-Disposition: form-data; name="${escapeName(name)}"`;
  if (typeof value !== 'object') {
    return [Buffer.from(`${disposition}\r\n\r\n`, 'utf8'), Buffer.from(String(value), 'utf8')];
  }
  const file: MultipartFile =
    value instanceof Blob
      ? { content: value, filename: value instanceof File ? value.name : 'blob' }
      : (value as MultipartFile);
  const content = file.content;
  const type =
    file.contentType ??
    (content instanceof Blob && content.type !== '' ? content.type : 'application/octet-stream');
  const head = `${disposition}; filename="${escapeName(file.filename)}"\r\nContent-Type: ${type}\r\n\r\n`;
  const bytes =
    typeof content === 'string'
      ? Buffer.from(content, 'utf8')
      : content instanceof Blob
        ? Buffer.from(await content.arrayBuffer())
        : Buffer.from(content);
  return [Buffer.from(head, 'utf8'), bytes];
}

function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
