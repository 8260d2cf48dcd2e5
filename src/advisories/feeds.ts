import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import { VigilError } from '../common/errors.js';
import type { AdvisorySource, Feed, FeedProblem } from './source.js';
import { alpineSecdbSource } from './sources/alpine-secdb.js';
import { cve5Source } from './sources/cve5.js';
import { debianTrackerSource } from './sources/debian-tracker.js';
import { epssSource } from './sources/epss.js';
import { kevSource } from './sources/kev.js';
import { npmAdvisoriesSource } from './sources/npm-advisories.js';
import { nvdSource } from './sources/nvd.js';
import { osvSource } from './sources/osv.js';
import { gzipFault } from './sources/shared.js';
import { ubuntuTrackerSource } from './sources/ubuntu-tracker.js';

/** Every feed format Vigil imports; a file goes to the first whose `detect` accepts it. */
export const SOURCES: readonly AdvisorySource[] = [
  kevSource,
  epssSource,
  npmAdvisoriesSource,
  alpineSecdbSource,
  debianTrackerSource,
  ubuntuTrackerSource,
  // Before OSV, whose detection would take a single NVD record (an id and dates) for its own.
  nvdSource,
  cve5Source,
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

/**
 * The first bytes of a feed, decompressed when gzipped, for format detection. A gzip
 * file whose start decompresses to nothing is told apart from an empty one: when the
 * whole file was read and it still does not decompress, it is cut short or corrupt.
 */
async function head(file: string): Promise<{ bytes: Buffer; broken?: string }> {
  const h = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await h.read(buf, 0, HEAD_BYTES, 0);
    const raw = buf.subarray(0, bytesRead);
    if (raw[0] === 0x1f && raw[1] === 0x8b) {
      let partial: Buffer;
      try {
        // A partial gzip member: flush what decompresses, which is all detection needs.
        partial = gunzipSync(raw, { finishFlush: zc.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
      } catch (err) {
        return { bytes: Buffer.alloc(0), broken: gzipFault(err) };
      }
      if (partial.length > 0 || bytesRead === HEAD_BYTES) return { bytes: partial };
      // The whole file is in `raw`: it either decompresses to nothing or is cut short.
      try {
        gunzipSync(raw);
        return { bytes: partial };
      } catch (err) {
        return { bytes: partial, broken: gzipFault(err).replace('gzip data is cut short', `gzip data is cut short after ${bytesRead} bytes`) };
      }
    }
    return { bytes: raw };
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
  const single = file.endsWith('.json') && h.toString('utf8', 0, 64).trimStart().startsWith('{');
  // One file per CVE in a tree of year and number directories (cvelistV5's
  // `cves/2024/3xxx/`, NVD mirrors' `CVE-2024/CVE-2024-30xx/`): the tree is the feed.
  if ((source === cve5Source || (source === nvdSource && !/"vulnerabilities"\s*:/.test(h.toString('utf8', 0, 4096)))) && single) {
    const tree = /^(.*?)[\\/](?:\d{4}|CVE-\d{4})[\\/][^\\/]*x+[\\/][^\\/]+$/.exec(file);
    return `${source.name}:${path.basename(tree ? tree[1]! : path.dirname(file))}/`;
  }
  const loose = (source === osvSource && single) || (source === ubuntuTrackerSource && !/\.(tar|tar\.gz|tgz)$/.test(file));
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
  // Detection first, so progress counts feeds, not READMEs and schemas beside them.
  const recognised: Array<{ file: string; source: AdvisorySource; h: Buffer }> = [];
  for (const { file, explicit } of files) {
    const { bytes: h, broken } = await head(file);
    // A feed that cannot be read at all aborts the import, as in source.read below.
    if (broken) throw new VigilError('INVALID_INPUT', `${file}: ${broken}`);
    if (h.length === 0) {
      if (explicit) throw new VigilError('INVALID_INPUT', `${file}: empty file`);
      skipped.push(file);
      continue;
    }
    const source = SOURCES.find((s) => s.detect(file, h));
    if (!source) {
      if (explicit) throw new VigilError('INVALID_INPUT', `${file}: not a feed format Vigil knows (OSV, Debian or Ubuntu tracker, Alpine secdb, npm advisories, NVD CVE API 2.0, CVE JSON 5, KEV, EPSS)`);
      skipped.push(file);
      continue;
    }
    recognised.push({ file, source, h });
  }
  let done = 0;
  for (const { file, source, h } of recognised) {
    onProgress?.(done++, recognised.length, file);
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
  onProgress?.(recognised.length, recognised.length, '');
  const feeds = [...groups.values()].map(({ feed, hashes }) => {
    feed.digest = createHash('sha256').update(Buffer.concat(hashes)).digest('hex');
    return feed;
  });
  return { feeds: feeds.sort((a, b) => (a.name < b.name ? -1 : 1)), problems, skipped };
}
