import { describe, expect, it } from 'vitest';
import { CHUNK_END, chunkSizeLine, sharedFrame } from '../src/connection/chunk-framing.js';

describe('chunked-coding frames of streamed bodies', () => {
  it('frames a shared chunk once: the next stream writing the same bytes gets the same frame', () => {
    const event = Buffer.from('data: hello\n\n');
    const frame = sharedFrame(event);
    expect(frame.toString('latin1')).toBe('d\r\ndata: hello\n\n\r\n');
    expect(sharedFrame(event)).toBe(frame);
    const other = Buffer.from('data: other\n\n');
    expect(sharedFrame(other)).not.toBe(frame);
    expect(sharedFrame(other).toString('latin1')).toBe('d\r\ndata: other\n\n\r\n');
  });

  it('gives size lines in hex, kept for small sizes, and the CRLF terminator', () => {
    expect(chunkSizeLine(255).toString('latin1')).toBe('ff\r\n');
    expect(chunkSizeLine(255)).toBe(chunkSizeLine(255));
    expect(chunkSizeLine(70_000).toString('latin1')).toBe('11170\r\n');
    expect(CHUNK_END.toString('latin1')).toBe('\r\n');
  });
});
