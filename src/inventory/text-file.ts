import type { Problem } from '../common/model.js';
import type { CollectContext, CollectResult } from './collector.js';
import { problem, problemFrom } from './problems.js';
import { readInRootSync } from './rootfs.js';

/**
 * Read one walked text file for a collector: inside the root, size-capped. A file
 * that cannot be read, is too large or holds binary data becomes a problem and
 * undefined; a file that vanished since the walk is just undefined.
 */
export async function readCollectorText(
  ctx: CollectContext,
  collector: string,
  file: string,
  maxBytes: number,
  what: string,
  problems: Problem[],
): Promise<string | undefined> {
  let text: string | undefined;
  try {
    // Read synchronously: a scan reads thousands of small manifests, where the thread-pool
    // round trips of an asynchronous read (open, stat, read, close) cost more than the reads.
    text = readInRootSync(ctx.root, file, { maxBytes })?.toString('utf8');
  } catch (err) {
    problems.push(problemFrom(collector, file, err));
    return undefined;
  }
  if (text !== undefined && text.includes('\0')) {
    problems.push(problem(collector, file, 'corrupt', `binary data in ${what}`));
    return undefined;
  }
  return text;
}

/** Run a per-file collector over its walked files in order, stopping when the scan is cancelled. */
export async function collectEach(
  ctx: CollectContext,
  what: string,
  each: (ctx: CollectContext, file: string, out: CollectResult) => Promise<void>,
): Promise<CollectResult> {
  const out: CollectResult = { components: [], problems: [] };
  for (const file of ctx.files) {
    if (ctx.signal?.aborted) break;
    await each(ctx, file, out);
  }
  ctx.log.debug({ files: ctx.files.length, packages: out.components.length }, `${what} read`);
  return out;
}
