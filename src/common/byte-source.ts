/**
 * Random access to bytes, so that parsers of archives and executables read only the
 * parts they need from a file on disk and work the same on an archive held in memory.
 */

export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws OutOfRangeError when the range leaves the source. */
  read(offset: number, length: number): Promise<Buffer>;
}

export class OutOfRangeError extends Error {
  constructor(
    readonly offset: number,
    readonly length: number,
    readonly size: number,
  ) {
    super(`read of ${length} bytes at offset ${offset} goes past the end (${size} bytes)`);
  }
}

export function checkRange(offset: number, length: number, size: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new OutOfRangeError(offset, length, size);
  }
}

export function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    read(offset: number, length: number): Promise<Buffer> {
      try {
        checkRange(offset, length, buf.length);
      } catch (err) {
        return Promise.reject(err);
      }
      return Promise.resolve(buf.subarray(offset, offset + length));
    },
  };
}
