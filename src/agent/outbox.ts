import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from 'pino';
import { writeFileAtomic } from '../common/atomic-write.js';
import { VigilError } from '../common/errors.js';
import { componentLogger } from '../common/log.js';
import type { Delta } from './delta.js';
import { inventoryDigestV2 } from '../common/inventory-lthash.js';
import { composeDeltas } from './inventory-state.js';

/**
 * Durable queue of deltas the server has not acknowledged yet.
 *
 * `deltas.log` is a sequence of records, each
 *   u32 BE payload length | u32 BE CRC-32 of (length bytes ++ payload) | payload (UTF-8 JSON of one Delta)
 * appended and fsynced one at a time. `state.json` holds the epoch and what the server
 * last acknowledged; it is only ever replaced whole (temp file, fsync, rename, fsync
 * directory), and it is written before the log is compacted, so after a crash between
 * the two the log may hold already-acknowledged records, which open() drops.
 */
export const LOG_FILE = 'deltas.log';
export const STATE_FILE = 'state.json';
const HEADER_BYTES = 8;
/** Far above a snapshot of a large host; a bigger length can only be a corrupt header. */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;

export interface OutboxState {
  format: 1;
  epoch: number;
  ackedSeq: number;
  /** Digest of the inventory the server holds after the acknowledged delta. */
  ackedDigest: string;
  /** 2 when `ackedDigest` is v2 (common/inventory-lthash.ts); absent in a state written before v2, whose digest is v1. */
  ackedDigestVersion?: 2;
}

/** The one write the outbox makes through a seam, so tests can fail it part-way. */
export interface OutboxIo {
  write(fh: FileHandle, data: Buffer): Promise<void>;
}

const fsIo: OutboxIo = {
  async write(fh, data) {
    for (let off = 0; off < data.length; ) off += (await fh.write(data, off, data.length - off)).bytesWritten;
  },
};

export interface OutboxOptions {
  log?: Logger;
  io?: OutboxIo;
}

/** The log cannot be trusted past `offset`; the agent must rebuild its state (`Outbox.reset`). */
export class OutboxCorruptError extends VigilError {
  readonly file: string;
  readonly offset: number;
  constructor(file: string, offset: number, reason: string) {
    super('INVALID_INPUT', `outbox ${file} is corrupt at offset ${offset}: ${reason}; the agent state must be rebuilt`);
    this.name = 'OutboxCorruptError';
    this.file = file;
    this.offset = offset;
  }
}

export function encodeRecord(delta: Delta): Buffer {
  const payload = Buffer.from(JSON.stringify(delta), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(crc32(payload, crc32(header.subarray(0, 4))), 4);
  return Buffer.concat([header, payload]);
}

interface ParsedLog {
  records: Delta[];
  /** Length of the prefix made of complete, valid records. */
  goodBytes: number;
  torn?: { offset: number; reason: string };
}

/**
 * A record that runs past the end of the file, or the last record with a bad CRC, is
 * what a crash in the middle of an append leaves: it was never acknowledged as
 * written, so it is dropped. A bad record with more data after it cannot come from a
 * crash and means the disk or someone else damaged the file.
 */
export function parseLog(file: string, data: Buffer): ParsedLog {
  const records: Delta[] = [];
  let off = 0;
  while (off < data.length) {
    if (data.length - off < HEADER_BYTES) return { records, goodBytes: off, torn: { offset: off, reason: 'partial record header' } };
    const len = data.readUInt32BE(off);
    if (len > MAX_RECORD_BYTES) throw new OutboxCorruptError(file, off, `record length ${len} is impossible`);
    const end = off + HEADER_BYTES + len;
    if (end > data.length) return { records, goodBytes: off, torn: { offset: off, reason: 'record runs past the end of the file' } };
    const payload = data.subarray(off + HEADER_BYTES, end);
    if (crc32(payload, crc32(data.subarray(off, off + 4))) !== data.readUInt32BE(off + 4)) {
      if (end === data.length) return { records, goodBytes: off, torn: { offset: off, reason: 'last record fails its CRC' } };
      throw new OutboxCorruptError(file, off, 'record fails its CRC');
    }
    let delta: Delta;
    try {
      delta = JSON.parse(payload.toString('utf8')) as Delta;
    } catch (err) {
      throw new OutboxCorruptError(file, off, `record is not JSON (${(err as Error).message})`);
    }
    records.push(delta);
    off = end;
  }
  return { records, goodBytes: off };
}

export class Outbox {
  private readonly logPath: string;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private state: OutboxState,
    private records: Delta[],
    private size: number,
    private readonly io: OutboxIo,
  ) {
    this.logPath = path.join(dir, LOG_FILE);
  }

  static async open(dir: string, opts: OutboxOptions = {}): Promise<Outbox> {
    const log = opts.log ?? componentLogger('outbox');
    const io = opts.io ?? fsIo;
    await mkdir(dir, { recursive: true });
    const logPath = path.join(dir, LOG_FILE);
    let state = await readState(path.join(dir, STATE_FILE));
    if (!state) {
      state = initialState(1);
      await writeAtomic(dir, STATE_FILE, Buffer.from(JSON.stringify(state)), io);
    }
    let data: Buffer;
    try {
      data = await readFile(logPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await writeAtomic(dir, LOG_FILE, Buffer.alloc(0), io);
      data = Buffer.alloc(0);
    }
    const parsed = parseLog(logPath, data);
    if (parsed.torn) {
      log.warn({ file: logPath, offset: parsed.torn.offset, reason: parsed.torn.reason }, 'dropping a torn record left by an interrupted append');
      const fh = await open(logPath, 'r+');
      try {
        await fh.truncate(parsed.goodBytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    const st = state;
    const live = parsed.records.filter((d) => d.epoch === st.epoch && d.seq > st.ackedSeq);
    let expected = st.ackedSeq;
    for (const d of live) {
      if (d.baseSeq !== expected) throw new OutboxCorruptError(logPath, 0, `delta seq ${d.seq} applies on seq ${d.baseSeq}, expected ${expected}`);
      expected = d.seq;
    }
    const box = new Outbox(dir, st, live, parsed.goodBytes, io);
    // Acknowledged or previous-epoch records are left only by a crash between the state write and the compaction.
    if (live.length !== parsed.records.length) await box.rewriteLog(live);
    return box;
  }

  /**
   * Starts a new epoch with an empty queue, for when the local state cannot be trusted
   * (a corrupt log) or the server asks for a snapshot. Works without a readable log.
   */
  static async reset(dir: string, opts: OutboxOptions = {}): Promise<Outbox> {
    const io = opts.io ?? fsIo;
    await mkdir(dir, { recursive: true });
    const old = await readState(path.join(dir, STATE_FILE)).catch(() => undefined);
    // Without the old epoch, the clock still gives one no earlier counter can have reached.
    await writeAtomic(dir, STATE_FILE, Buffer.from(JSON.stringify(initialState(old ? old.epoch + 1 : Date.now()))), io);
    await writeAtomic(dir, LOG_FILE, Buffer.alloc(0), io);
    return Outbox.open(dir, opts);
  }

  get epoch(): number {
    return this.state.epoch;
  }
  get ackedSeq(): number {
    return this.state.ackedSeq;
  }
  get ackedDigest(): string {
    return this.state.ackedDigest;
  }
  /** The seq the next delta must apply on. */
  get lastSeq(): number {
    return this.records.at(-1)?.seq ?? this.state.ackedSeq;
  }

  /** Unacknowledged deltas after `afterSeq`, oldest first. */
  pending(afterSeq = this.state.ackedSeq): Delta[] {
    return this.records.filter((d) => d.seq > afterSeq);
  }

  /** Resolves once the delta is on disk. On failure (ENOSPC...) the log is as before and the error is the caller's. */
  append(delta: Delta): Promise<void> {
    return this.serial(async () => {
      if (delta.epoch !== this.state.epoch) throw new VigilError('INTERNAL', `delta epoch ${delta.epoch} is not the outbox epoch ${this.state.epoch}`);
      if (delta.baseSeq !== this.lastSeq || delta.seq <= delta.baseSeq) {
        throw new VigilError('INTERNAL', `delta ${delta.baseSeq}→${delta.seq} does not follow seq ${this.lastSeq}`);
      }
      const rec = encodeRecord(delta);
      const fh = await open(this.logPath, 'a');
      try {
        await this.io.write(fh, rec);
        await fh.sync();
      } catch (err) {
        // Cut the partial record now; if even that fails, it is the torn tail open() drops.
        await fh.truncate(this.size).then(() => fh.sync()).catch(() => undefined);
        throw err;
      } finally {
        await fh.close();
      }
      this.records.push(delta);
      this.size += rec.length;
    });
  }

  /** The server holds everything up to `seq`. Repeated acks are harmless. */
  ack(seq: number): Promise<void> {
    return this.serial(async () => {
      if (seq <= this.state.ackedSeq) return;
      const i = this.records.findIndex((d) => d.seq === seq);
      if (i < 0) throw new VigilError('INVALID_INPUT', `ack for seq ${seq}, which is not pending in epoch ${this.state.epoch}`);
      const { ackedDigestVersion: _, ...rest } = this.state;
      const d = this.records[i]!;
      await this.writeState({ ...rest, ackedSeq: seq, ackedDigest: d.digestAfter, ...(d.digestVersion ? { ackedDigestVersion: d.digestVersion } : {}) });
      await this.rewriteLog(this.records.slice(i + 1));
    });
  }

  /**
   * Replaces a backlog longer than `maxPending` with one delta from the acknowledged
   * inventory to the latest, so a host offline for a week sends one message. Returns
   * it, or undefined when the backlog is short enough.
   */
  coalesce(maxPending: number): Promise<Delta | undefined> {
    return this.serial(async () => {
      if (this.records.length <= maxPending || this.records.length < 2) return undefined;
      const one = composeDeltas(this.records);
      await this.rewriteLog([one]);
      return one;
    });
  }

  /** The version of the digest the last delta (or, with none pending, the acknowledged state) carries. */
  get lastDigestVersion(): 1 | 2 {
    const last = this.records.at(-1);
    return (last ? last.digestVersion : this.state.ackedDigestVersion) ?? 1;
  }

  /**
   * After an upgrade from v1 digests: `digest` is the v2 digest of the inventory after
   * the last delta. With nothing pending it becomes the acknowledged digest; otherwise
   * the pending deltas become one carrying it (the v1 digests of the ones between
   * cannot be recomputed without their inventories), so the server checks it in v2.
   */
  upgradeDigests(digest: string): Promise<void> {
    return this.serial(async () => {
      if (this.records.length === 0) return this.writeState({ ...this.state, ackedDigest: digest, ackedDigestVersion: 2 });
      await this.rewriteLog([{ ...composeDeltas(this.records), digestAfter: digest, digestVersion: 2 }]);
    });
  }

  /** New epoch, empty queue: the next delta is a snapshot from the empty inventory. */
  reset(): Promise<void> {
    return this.serial(async () => {
      await this.writeState(initialState(this.state.epoch + 1));
      await this.rewriteLog([]);
    });
  }

  private async writeState(state: OutboxState): Promise<void> {
    await writeAtomic(this.dir, STATE_FILE, Buffer.from(JSON.stringify(state)), this.io);
    this.state = state;
  }

  private async rewriteLog(records: Delta[]): Promise<void> {
    const data = Buffer.concat(records.map(encodeRecord));
    await writeAtomic(this.dir, LOG_FILE, data, this.io);
    this.records = records;
    this.size = data.length;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function initialState(epoch: number): OutboxState {
  return { format: 1, epoch, ackedSeq: 0, ackedDigest: inventoryDigestV2([]), ackedDigestVersion: 2 };
}

async function readState(file: string): Promise<OutboxState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let s: Partial<OutboxState>;
  try {
    s = JSON.parse(text) as Partial<OutboxState>;
  } catch {
    throw new OutboxCorruptError(file, 0, 'state is not JSON');
  }
  if (s.format !== 1 || !Number.isSafeInteger(s.epoch) || !Number.isSafeInteger(s.ackedSeq) || typeof s.ackedDigest !== 'string') {
    throw new OutboxCorruptError(file, 0, 'state lacks epoch, ackedSeq or ackedDigest');
  }
  return s as OutboxState;
}

/** Temp file, fsync, rename, fsync directory: readers see the old file or the new one, never a mix. */
async function writeAtomic(dir: string, name: string, data: Buffer, io: OutboxIo): Promise<void> {
  await writeFileAtomic(path.join(dir, name), data, { mode: 0o600, regularOnly: true, writeBytes: (fh, d) => io.write(fh, d) });
}
