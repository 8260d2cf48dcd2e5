import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { bufferSource, type ByteSource } from '../../common/byte-source.js';
import { describeError, VigilError } from '../../common/errors.js';
import { ZipArchive } from '../../common/zip.js';
import type { Advisory } from '../model.js';
import type { AdvisorySource, FeedProblem, FeedResult } from '../source.js';
import { newTally, type OsvTally, parseOsvRecord } from './osv.parse.js';
import { FEED_LIMITS, fileByteSource, firstChar, jsonFault, JsonShapeError, peekText, readFeedBytes, scanJson, unreadable } from './shared.js';

/**
 * OSV feeds in every shape they are published: a directory of `<id>.json` files (a
 * clone of a GitHub advisory repository), osv.dev's per-ecosystem `all.zip`, a JSON
 * array of records (plain or gzip'd) or a single record. Records of ecosystems Vigil
 * has no version scheme for are skipped and counted, one problem per ecosystem.
 */

const MAX_DEPTH = 16;
const MAX_FILES = 2_000_000;
const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

class Collector {
  readonly advisories: Advisory[] = [];
  readonly problems: FeedProblem[] = [];
  readonly tally: OsvTally = newTally();
  private readonly byId = new Map<string, number>();
  private duplicates = 0;

  /** Parses one record's text; a record that fails is a problem of `file`, never a throw. */
  addText(text: string, file: string, where: string): boolean {
    if (text.length > FEED_LIMITS.maxRecordChars) {
      this.problem(file, `${where}: ${text.length} characters, more than the limit of ${FEED_LIMITS.maxRecordChars}; skipped`);
      return false;
    }
    let raw: unknown;
    try {
      // A byte-order mark may open a JSON file, but JSON.parse refuses it.
      raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      this.problem(file, `${where}: invalid JSON (${describeError(err)}); skipped`);
      return false;
    }
    return this.addRecord(raw, file, where);
  }

  addRecord(raw: unknown, file: string, where: string): boolean {
    const { advisory, problems } = parseOsvRecord(raw, where, this.tally);
    for (const m of problems) this.problem(file, m);
    if (!advisory) return false;
    const at = this.byId.get(advisory.id);
    if (at === undefined) {
      this.byId.set(advisory.id, this.advisories.length);
      this.advisories.push(advisory);
    } else {
      // OSV: of two entries with one id, the later `modified` is authoritative.
      this.duplicates++;
      if ((advisory.modified ?? '') > (this.advisories[at]!.modified ?? '')) this.advisories[at] = advisory;
    }
    return true;
  }

  problem(file: string, message: string): void {
    this.problems.push({ file, message });
  }

  result(file: string): FeedResult {
    for (const [eco, { count, first }] of this.tally.unknownEcosystems) {
      this.problem(file, `skipped ${count} affected package(s) of ecosystem ${JSON.stringify(eco)}: Vigil has no version scheme for it (first in ${first})`);
    }
    const git = this.tally.gitOnly;
    if (git.count > 0) {
      this.problem(file, `skipped ${git.count} affected package(s) that have only GIT ranges and no versions list: Vigil has no commit data (first in ${git.first})`);
    }
    const dates = this.tally.badDates;
    if (dates.count > 0) this.problem(file, `${dates.count} published or modified date(s) are no RFC 3339 date and were left out (first: ${dates.first})`);
    if (this.duplicates > 0) this.problem(file, `${this.duplicates} record(s) repeat an id read before; kept the one modified last`);
    return { advisories: this.advisories, problems: this.problems };
  }
}

/** The records of one JSON text: an array of records or a single record. Throws when it is neither. */
function readJsonText(c: Collector, text: string, file: string): void {
  if (firstChar(text) === '{') {
    if (text.length > FEED_LIMITS.maxRecordChars) throw unreadable(file, `${text.length} characters, more than the limit of ${FEED_LIMITS.maxRecordChars} for one record`);
    let raw: unknown;
    try {
      raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      throw unreadable(file, jsonFault(text, err));
    }
    if (!c.addRecord(raw, file, path.basename(file))) throw unreadable(file, 'not an OSV record');
    return;
  }
  // The array is split in full before any record is kept: a file whose array breaks off
  // is refused whole, also inside a directory, rather than imported in part.
  const members: string[] = [];
  try {
    scanJson(text, (m) => members.push(m.text));
  } catch (err) {
    if (!(err instanceof JsonShapeError)) throw err;
    throw unreadable(file, firstChar(text) === '[' ? err.message : `not an OSV record or array of records: ${err.message}`);
  }
  let parsed = 0;
  members.forEach((m, i) => {
    if (c.addText(m, file, `record #${i + 1}`)) parsed++;
  });
  if (members.length > 0 && parsed === 0) throw unreadable(file, `none of its ${members.length} array elements is an OSV record`);
}

async function readJsonFile(c: Collector, file: string): Promise<void> {
  readJsonText(c, (await readFeedBytes(file)).toString('utf8'), file);
}

/** Zips up to this size are read into memory at once: thousands of small positioned reads are slower. */
const ZIP_IN_MEMORY = 256 * 1024 * 1024;

async function zipSource(file: string): Promise<ByteSource & { close(): Promise<void> }> {
  const src = await fileByteSource(file);
  if (src.size > ZIP_IN_MEMORY) return src;
  try {
    const all = bufferSource(await src.read(0, src.size));
    return { size: all.size, read: all.read, close: async () => {} };
  } finally {
    await src.close();
  }
}

async function readZip(c: Collector, file: string): Promise<void> {
  let src;
  try {
    src = await zipSource(file);
  } catch (err) {
    throw unreadable(file, 'cannot read', err);
  }
  try {
    let zip: ZipArchive;
    try {
      zip = await ZipArchive.open(src);
    } catch (err) {
      throw unreadable(file, 'not a readable zip archive', err);
    }
    let ok = 0;
    let tried = 0;
    for (const entry of zip.entries) {
      if (entry.isDirectory || !entry.name.toLowerCase().endsWith('.json')) continue;
      tried++;
      const where = `entry ${JSON.stringify(entry.name.slice(0, 200))}`;
      let data: Buffer;
      try {
        data = await zip.read(entry, FEED_LIMITS.maxRecordChars);
      } catch (err) {
        c.problem(file, `${where}: ${describeError(err)}; skipped`);
        continue;
      }
      if (c.addText(data.toString('utf8'), file, where)) ok++;
    }
    if (tried === 0) throw unreadable(file, 'zip archive holds no .json records');
    if (ok === 0) throw unreadable(file, `none of the ${tried} .json entries is a readable OSV record`);
  } finally {
    await src.close();
  }
}

/** Every `*.json` below `dir`, in name order; counts what the depth and file limits left out. */
async function jsonFiles(dir: string, depth: number, out: string[], left: { deep: number; many: boolean }): Promise<void> {
  if (depth > MAX_DEPTH) {
    left.deep++;
    return;
  }
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (out.length >= MAX_FILES) {
      left.many = true;
      return;
    }
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    // Symbolic links are not followed: a feed directory holds its records itself.
    if (e.isDirectory()) await jsonFiles(p, depth + 1, out, left);
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
}

async function readDirectory(c: Collector, dir: string): Promise<void> {
  const files: string[] = [];
  const left = { deep: 0, many: false };
  try {
    await jsonFiles(dir, 0, files, left);
  } catch (err) {
    throw unreadable(dir, 'cannot list', err);
  }
  if (files.length === 0) throw unreadable(dir, 'directory holds no .json records');
  if (left.deep > 0) c.problem(dir, `${left.deep} director(y/ies) nested deeper than ${MAX_DEPTH} levels not read`);
  if (left.many) c.problem(dir, `read only the first ${MAX_FILES} .json files`);
  let ok = 0;
  // A clone of an advisory repository is ~10^5 small files: reading a batch at once hides
  // the per-file latency, while records are still parsed in name order.
  for (let i = 0; i < files.length; i += 32) {
    const batch = files.slice(i, i + 32).map((f) => readFeedBytes(f).then((bytes) => ({ f, bytes }), (err: unknown) => ({ f, err })));
    for (const r of await Promise.all(batch)) {
      const before = c.advisories.length;
      try {
        if ('err' in r) throw r.err;
        readJsonText(c, r.bytes.toString('utf8'), r.f);
      } catch (err) {
        c.problem(r.f, err instanceof VigilError ? err.message : describeError(err));
        continue;
      }
      if (c.advisories.length > before) ok++;
    }
  }
  if (ok === 0) throw unreadable(dir, `none of its ${files.length} .json files holds a readable OSV record`);
}

export const osvSource: AdvisorySource = {
  name: 'osv',

  detect(file: string, head: Buffer): boolean {
    if (head.subarray(0, 4).equals(ZIP_MAGIC)) return /\.zip$/i.test(file);
    const text = peekText(head).trimStart();
    if (!text.startsWith('{') && !text.startsWith('[')) return false;
    // Both an OSV array and a single record open with a record whose keys include an id and OSV fields.
    return /"id"\s*:\s*"/.test(text) && /"(modified|affected|schema_version|aliases|published)"\s*:/.test(text);
  },

  async read(file: string): Promise<FeedResult> {
    const c = new Collector();
    let st;
    try {
      st = await stat(file);
    } catch (err) {
      throw unreadable(file, 'cannot read', err);
    }
    if (st.isDirectory()) {
      await readDirectory(c, file);
    } else {
      const head = await readHead(file);
      if (head.equals(ZIP_MAGIC) || /\.zip$/i.test(file)) await readZip(c, file);
      else await readJsonFile(c, file);
    }
    return c.result(file);
  },
};

async function readHead(file: string): Promise<Buffer> {
  const src = await fileByteSource(file).catch((err) => {
    throw unreadable(file, 'cannot read', err);
  });
  try {
    return await src.read(0, Math.min(4, src.size));
  } finally {
    await src.close();
  }
}
