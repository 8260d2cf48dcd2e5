import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import { VigilError } from '../common/errors.js';
import type { AdvisorySource, Feed, FeedProblem } from './source.js';
import { alpineSecdbSource } from './sources/alpine-secdb.js';
import { debianTrackerSource } from './sources/debian-tracker.js';
import { epssSource } from './sources/epss.js';
import { kevSource } from './sources/kev.js';
import { npmAdvisoriesSource } from './sources/npm-advisories.js';
import { osvSource } from './sources/osv.js';
import { ubuntuTrackerSource } from './sources/ubuntu-tracker.js';

/** Every feed format Vigil imports; a file goes to the first whose `detect` accepts it. */
export const SOURCES: readonly AdvisorySource[] = [
  kevSource,
  epssSource,
  npmAdvisoriesSource,
  alpineSecdbSource,
  debianTrackerSource,
  ubuntuTrackerSource,
  osvSource,
];

const HEAD_BYTES = 64 * 1024;
const MAX_DEPTH = 8;

export interface ReadFeedsResult {
  feeds: Feed[];
  problems: FeedProblem[];
  /** Files inside given directories that no source recognised (READMEs, schemas). */
  skipped: string[];
}

async function head(file: string): Promise<Buffer> {
  const h = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await h.read(buf, 0, HEAD_BYTES, 0);
    const raw = buf.subarray(0, bytesRead);
    if (raw[0] === 0x1f && raw[1] === 0x8b) {
      try {
        // A partial gzip member: flush what decompresses, which is all detection needs.
        return gunzipSync(raw, { finishFlush: zc.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
      } catch {
        return raw;
      }
    }
    return raw;
  } finally {
    await h.close();
  }
}

async function listFiles(dir: string, depth = 0): Promise<string[]> {
  if (depth > MAX_DEPTH) return [];
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, depth + 1)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * Loose single-record files (an OSV directory, the Ubuntu tracker's `active/`) form
 * one feed per directory; every other file is a feed of its own.
 */
function feedName(source: AdvisorySource, file: string, h: Buffer): string {
  const loose =
    (source === osvSource && file.endsWith('.json') && h.toString('utf8', 0, 64).trimStart().startsWith('{')) ||
    (source === ubuntuTrackerSource && !/\.(tar|tar\.gz|tgz)$/.test(file));
  return loose ? `${source.name}:${path.basename(path.dirname(file))}/` : `${source.name}:${path.basename(file)}`;
}

async function sha256(file: string): Promise<Buffer> {
  const { readFile } = await import('node:fs/promises');
  return createHash('sha256').update(await readFile(file)).digest();
}

/**
 * Read feed files and directories into named feeds, all or nothing: the first file
 * that cannot be read at all aborts with an error naming it, before anything is
 * written, so the database keeps its previous content.
 */
export async function readFeeds(paths: string[], onProgress?: (done: number, total: number, file: string) => void): Promise<ReadFeedsResult> {
  const files: Array<{ file: string; explicit: boolean }> = [];
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      throw new VigilError('NOT_FOUND', `no such feed file or directory: ${p}`);
    }
    if (st.isDirectory()) for (const f of await listFiles(p)) files.push({ file: f, explicit: false });
    else files.push({ file: p, explicit: true });
  }
  const groups = new Map<string, { feed: Feed; hashes: Buffer[] }>();
  const problems: FeedProblem[] = [];
  const skipped: string[] = [];
  let done = 0;
  for (const { file, explicit } of files) {
    onProgress?.(done++, files.length, file);
    const h = await head(file);
    if (h.length === 0) {
      if (explicit) throw new VigilError('INVALID_INPUT', `${file}: empty file`);
      skipped.push(file);
      continue;
    }
    const source = SOURCES.find((s) => s.detect(file, h));
    if (!source) {
      if (explicit) throw new VigilError('INVALID_INPUT', `${file}: not a feed format Vigil knows (OSV, Debian or Ubuntu tracker, Alpine secdb, npm advisories, KEV, EPSS)`);
      skipped.push(file);
      continue;
    }
    let res;
    try {
      res = await source.read(file);
    } catch (err) {
      if (err instanceof VigilError) throw err;
      throw new VigilError('INVALID_INPUT', `${file}: ${(err as Error).message}`, { cause: err });
    }
    const name = feedName(source, file, h);
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { feed: { name, files: [], digest: '', advisories: [] }, hashes: [] }));
    g.feed.files.push(file);
    g.hashes.push(await sha256(file));
    // Loops, not spreads: an EPSS file holds hundreds of thousands of rows.
    for (const a of res.advisories) g.feed.advisories.push(a);
    if (res.kev) for (const k of res.kev) (g.feed.kev ??= []).push(k);
    if (res.epss) for (const e of res.epss) (g.feed.epss ??= []).push(e);
    for (const p of res.problems) problems.push(p);
  }
  onProgress?.(files.length, files.length, '');
  const feeds = [...groups.values()].map(({ feed, hashes }) => {
    feed.digest = createHash('sha256').update(Buffer.concat(hashes)).digest('hex');
    return feed;
  });
  return { feeds: feeds.sort((a, b) => (a.name < b.name ? -1 : 1)), problems, skipped };
}
