const CACHED = 4096;
const lines: string[] = [];
for (let n = 0; n < CACHED; n++) lines.push(`Content-Length: ${n}\r\n`);

/** `Content-Length: n\r\n`; lines for bodies under 4 KiB are built once at load. Hot. */
export function contentLengthLine(length: number): string {
  return length < CACHED ? (lines[length] as string) : `Content-Length: ${length}\r\n`;
}
