const CACHED = 4096;
/** Filled on first use of each length: building all 4,096 at load cost start ~0.2 MiB of heap. */
const lines: (string | undefined)[] = [];

/** `Content-Length: n\r\n`; lines for bodies under 4 KiB are built once, on first use. Hot. */
export function contentLengthLine(length: number): string {
  if (length >= CACHED) return `Content-Length: ${length}\r\n`;
  const line = lines[length];
  if (line !== undefined) return line;
  const built = `Content-Length: ${length}\r\n`;
  lines[length] = built;
  return built;
}
