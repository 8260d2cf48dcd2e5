import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { VigilError } from '../../common/errors.js';
import type { EpssScore } from '../model.js';
import type { AdvisorySource, FeedProblem, FeedResult } from '../source.js';
import { gzipFault, isGzip, peekText, quote, unreadable } from './shared.js';

/**
 * FIRST's daily EPSS scores (`epss_scores-YYYY-MM-DD.csv.gz`): a comment line
 * `#model_version:…,score_date:…`, the header `cve,epss,percentile`, then one row per
 * CVE. The file inflates to ~10 MB and 300k+ rows, so it is read as a stream, line by
 * line, and only the scores are kept.
 */

const NAME = 'epss';
const CVE = /^CVE-\d{4}-\d{4,}$/;
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
export const EPSS_LIMITS = {
  /** A row is ~35 bytes; anything this long is not a row and is not kept in memory. */
  maxLineBytes: 4096,
  /** Problems reported one by one; the rest are counted in one summary problem. */
  maxProblems: 20,
  /** Far above the ~300k CVEs scored today, low enough to bound memory on a hostile file. */
  maxRows: 5_000_000,
};

/** `score_date:2026-08-16` or FIRST's `score_date:2023-03-07T00:00:00+0000`; the day is what a score is for. */
function scoreDate(comment: string): string | undefined {
  const m = /(?:^|,)\s*score_date:(\d{4}-\d{2}-\d{2})(?:T[0-9:.+Z-]*)?\s*(?:,|$)/.exec(comment);
  return m?.[1];
}

function probability(s: string): number | undefined {
  if (!NUMBER.test(s)) return undefined;
  const n = Number(s);
  return n >= 0 && n <= 1 ? n : undefined;
}

class Parser {
  readonly epss: EpssScore[] = [];
  readonly problems: FeedProblem[] = [];
  line = 0;
  date: string | undefined;
  private headerSeen = false;
  private carry = '';
  private skippingLong = false;
  private dropped = 0;
  private rowsFull = false;

  constructor(private readonly file: string) {}

  problem(message: string): void {
    if (this.problems.length < EPSS_LIMITS.maxProblems) this.problems.push({ file: this.file, message });
    else this.dropped++;
  }

  /** Text of a chunk; lines may span chunks. Latin-1 keeps byte offsets and cannot fail on a split character. */
  push(chunk: string): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      const end = nl < 0 ? chunk.length : nl;
      if (nl >= 0 && this.carry === '' && !this.skippingLong && end - start <= EPSS_LIMITS.maxLineBytes) {
        // The common case, a whole line inside the chunk, without copying it through `carry`.
        this.line++;
        this.take(end > start && chunk.charCodeAt(end - 1) === 0x0d ? chunk.slice(start, end - 1) : chunk.slice(start, end));
        start = nl + 1;
        continue;
      }
      if (!this.skippingLong) {
        if (this.carry.length + end - start > EPSS_LIMITS.maxLineBytes) {
          this.skippingLong = true;
          this.carry = '';
        } else this.carry += chunk.slice(start, end);
      }
      if (nl < 0) return;
      this.line++;
      if (this.skippingLong) this.problem(`line ${this.line}: longer than ${EPSS_LIMITS.maxLineBytes} bytes; skipped`);
      else this.take(this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry);
      this.carry = '';
      this.skippingLong = false;
      start = nl + 1;
    }
  }

  /** End of input: a last line without a newline is still a line. */
  finish(): void {
    if (this.carry === '' && !this.skippingLong) return;
    this.line++;
    if (this.skippingLong) this.problem(`line ${this.line}: longer than ${EPSS_LIMITS.maxLineBytes} bytes; skipped`);
    else this.take(this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry);
    this.carry = '';
  }

  private take(line: string): void {
    if (line === '') return;
    if (!this.headerSeen) return this.preamble(line);
    const c1 = line.indexOf(',');
    const c2 = line.indexOf(',', c1 + 1);
    if (c1 < 0 || c2 < 0 || line.indexOf(',', c2 + 1) >= 0) return this.problem(`line ${this.line}: ${quote(line)} is not cve,epss,percentile; skipped`);
    const cve = line.slice(0, c1);
    if (!CVE.test(cve)) return this.problem(`line ${this.line}: ${quote(cve)} is not a CVE id; skipped`);
    const epss = probability(line.slice(c1 + 1, c2));
    const percentile = probability(line.slice(c2 + 1));
    if (epss === undefined || percentile === undefined) {
      return this.problem(`line ${this.line}: ${cve}: ${quote(line.slice(c1 + 1))} are not two numbers between 0 and 1; skipped`);
    }
    if (this.epss.length >= EPSS_LIMITS.maxRows) {
      if (!this.rowsFull) this.problem(`line ${this.line}: more than ${EPSS_LIMITS.maxRows} rows; the rest is skipped`);
      this.rowsFull = true;
      return;
    }
    this.epss.push({ cve, epss, percentile, date: this.date! });
  }

  /** The comment line and the header: without them the file is not EPSS, or its scores have no date. */
  private preamble(line: string): void {
    if (line.startsWith('#')) {
      this.date ??= scoreDate(line.slice(1));
      return;
    }
    if (line.trim().toLowerCase() !== 'cve,epss,percentile') throw unreadable(this.file, `line ${this.line}: expected the header cve,epss,percentile, found ${quote(line)}`);
    if (!this.date) throw unreadable(this.file, 'no "#…score_date:YYYY-MM-DD" line before the header: the scores would have no date');
    this.headerSeen = true;
  }

  result(): FeedResult {
    if (!this.headerSeen) throw unreadable(this.file, this.line === 0 ? 'empty' : 'no header line cve,epss,percentile');
    if (this.dropped > 0) this.problems.push({ file: this.file, message: `and ${this.dropped} more malformed lines` });
    return { advisories: [], epss: this.epss, problems: this.problems };
  }
}

async function read(file: string): Promise<FeedResult> {
  let gz: boolean;
  try {
    const fh = await open(file, 'r');
    try {
      const head = Buffer.alloc(2);
      const { bytesRead } = await fh.read(head, 0, 2, 0);
      gz = isGzip(head.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw unreadable(file, 'cannot read', err);
  }
  const p = new Parser(file);
  // The parser's own verdict on the file, kept here: the pipeline may report its abort instead.
  let fatal: unknown;
  const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      try {
        p.push(chunk.toString('latin1'));
      } catch (err) {
        fatal = err;
        throw err;
      }
    }
  };
  try {
    if (gz) await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), createGunzip({ chunkSize: 256 * 1024 }), consume);
    else await pipeline(createReadStream(file, { highWaterMark: 256 * 1024 }), consume);
  } catch (err) {
    if (fatal !== undefined) throw fatal;
    if (err instanceof VigilError) throw err;
    // The rows before a cut are not kept: they are only part of the day's scores.
    const zlibError = typeof (err as NodeJS.ErrnoException).code === 'string' && (err as NodeJS.ErrnoException).code!.startsWith('Z_');
    throw zlibError ? unreadable(file, gzipFault(err)) : unreadable(file, 'cannot read', err);
  }
  p.finish();
  return p.result();
}

function detect(_file: string, head: Buffer): boolean {
  const text = peekText(head, 512);
  return /^#model_version:[^\n]*score_date:/.test(text) || /^cve,epss,percentile\r?$/m.test(text.split('\n', 2).join('\n'));
}

export const epssSource: AdvisorySource = { name: NAME, detect, read };
