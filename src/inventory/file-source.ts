import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { type ByteSource, checkRange, OutOfRangeError } from '../common/byte-source.js';
import type { Problem } from '../common/model.js';
import { problemFrom } from './problems.js';
import { FileTooLargeError, hostPath, isMissing, resolveInRoot, resolveInRootSync } from './rootfs.js';

/**
 * Random access to a regular file inside the scanned root, for collectors that read
 * a few parts of large files (archives, executables) instead of loading them whole.
 */

export interface FileSource extends ByteSource {
  close(): Promise<void>;
}

/**
 * Open a regular file inside the root, following symlinks within it. Returns
 * undefined when it does not exist; refuses special files and files over `maxBytes`.
 * Reads are synchronous: collectors read a few parts each of thousands of archives
 * and executables from the page cache, where a thread-pool round trip per read cost
 * more than the read (collections run in their own process, not on a server's loop).
 */
export async function openInRoot(root: string, rel: string, maxBytes: number): Promise<FileSource | undefined> {
  const resolved = resolveInRootSync(root, rel);
  if (resolved === undefined) return undefined;
  return openResolved(root, resolved, maxBytes, rel);
}

/**
 * openInRoot for a path already resolved inside the root (a target of groupByTarget
 * or elfFiles), which is not resolved again: undefined when it has gone since.
 */
export async function openResolvedInRoot(root: string, resolved: string, maxBytes: number): Promise<FileSource | undefined> {
  try {
    return openResolved(root, resolved, maxBytes, resolved);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

function openResolved(root: string, resolved: string, maxBytes: number, rel: string): FileSource {
  const fd = openSync(hostPath(root, resolved), constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  let size: number;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`not a regular file: ${rel}`);
    if (st.size > maxBytes) throw new FileTooLargeError(rel, st.size, maxBytes);
    size = st.size;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fdSource(fd, size);
}

function fdSource(fd: number, size: number): FileSource {
  let closed = false;
  return {
    size,
    async read(offset: number, length: number): Promise<Buffer> {
      checkRange(offset, length, size);
      const buf = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buf, done, length - done, offset + done);
        if (n === 0) throw new OutOfRangeError(offset, length, offset + done);
        done += n;
      }
      return buf;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

/** Random access through an open file handle of a known size; closing closes the handle. */
export function handleSource(handle: FileHandle, size: number): ByteSource & { close(): Promise<void> } {
  return {
    size,
    async read(offset: number, length: number): Promise<Buffer> {
      checkRange(offset, length, size);
      const buf = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buf, done, length - done, offset + done);
        // The file shrank while being read: report it like any other out-of-range read.
        if (bytesRead === 0) throw new OutOfRangeError(offset, length, offset + done);
        done += bytesRead;
      }
      return buf;
    },
    close: () => handle.close(),
  };
}

/**
 * The walked paths grouped by the file they resolve to, so that a file reachable
 * through symlinks is parsed once and reported with all its paths. Keys are sorted.
 */
export async function groupByTarget(
  collector: string,
  root: string,
  files: readonly string[],
): Promise<{ groups: Map<string, string[]>; problems: Problem[] }> {
  const groups = new Map<string, string[]>();
  const problems: Problem[] = [];
  for (const rel of files) {
    let target: string | undefined;
    try {
      target = await resolveInRoot(root, rel);
    } catch (err) {
      problems.push(problemFrom(collector, rel, err));
      continue;
    }
    if (target === undefined) continue;
    const paths = groups.get(target);
    if (paths) paths.push(rel);
    else groups.set(target, [rel]);
  }
  const sorted = new Map([...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  for (const paths of sorted.values()) paths.sort();
  return { groups: sorted, problems };
}
