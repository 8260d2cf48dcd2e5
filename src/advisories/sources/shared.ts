import { open, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { ByteSource } from '../../common/byte-source.js';
import { checkRange } from '../../common/byte-source.js';
import { describeError, VigilError } from '../../common/errors.js';
import { CvssError, cvssBaseScore, parseCvss } from '../cvss.js';
import type { CvssScore, Severity } from '../model.js';

/**
 * File handling shared by the advisory sources: feeds arrive plain or gzip'd, are
 * large (the Debian tracker JSON runs to tens of megabytes) and come from the network, so every read
 * is bounded and a broken record costs that record only.
 */

export const FEED_LIMITS = {
  /** Uncompressed bytes of one feed file; V8 strings stop a little above 512 MiB. */
  maxFileBytes: 480 * 1024 * 1024,
  /** Characters of one record (an OSV record, one source package of the tracker JSON). */
  maxRecordChars: 32 * 1024 * 1024,
  /** Characters kept of a summary or note: they are displayed, never parsed. */
  maxTextChars: 1000,
  maxNameChars: 1024,
  maxVersionChars: 256,
  maxListItems: 100_000,
};

const gunzip = promisify(zlib.gunzip) as (buf: Buffer, opts: zlib.ZlibOptions) => Promise<Buffer>;

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export function unreadable(file: string, why: string, cause?: unknown): VigilError {
  return new VigilError('INVALID_INPUT', `${file}: ${why}${cause === undefined ? '' : `: ${describeError(cause)}`}`, { cause });
}

/**
 * What is wrong with a gzip stream, from zlib's error. A cut stream is never read up to
 * the cut: importing part of a feed would replace the whole of the previous one.
 */
export function gzipFault(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e?.message ?? '')) return `gzip data is cut short (${e.message})`;
  return `gzip data is corrupt (${describeError(err)})`;
}

/** What is wrong with a JSON document as a whole, from its text and JSON.parse's error. */
export function jsonFault(text: string, err: unknown): string {
  if (firstChar(text) === undefined) return 'not JSON: the file is empty';
  const m = describeError(err);
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  const at = /at position (\d+)/.exec(m);
  // V8 names the end of the text by its position when it stops inside a value.
  const early = /end of (JSON )?input|unterminated/i.test(m) || (at !== null && Number(at[1]) >= end);
  return early ? `JSON ends early (${m})` : `not JSON (${m})`;
}

/** The whole file, inflated when gzip'd. Throws naming the file and the fault when it cannot be read whole. */
export async function readFeedBytes(file: string, maxBytes = FEED_LIMITS.maxFileBytes): Promise<Buffer> {
  let raw: Buffer;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw unreadable(file, 'not a regular file');
    if (st.size > maxBytes) throw unreadable(file, `${st.size} bytes, more than the limit of ${maxBytes}`);
    raw = await readFile(file);
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw unreadable(file, 'cannot read', err);
  }
  if (!isGzip(raw)) return raw;
  try {
    return await gunzip(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw unreadable(file, `inflates to more than ${maxBytes} bytes`);
    throw unreadable(file, gzipFault(err));
  }
}

/** The first bytes of a file, inflated when they are the start of a gzip stream, for `detect`. */
export function peekBytes(head: Buffer): Buffer {
  if (!isGzip(head)) return head;
  try {
    return zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: 1024 * 1024 });
  } catch {
    return Buffer.alloc(0);
  }
}

/** The first bytes of a file as text (see peekBytes). */
export function peekText(head: Buffer, max = 4096): string {
  return peekBytes(head).subarray(0, max).toString('utf8');
}

/** A file on disk as a ByteSource for the zip reader; close it when done. */
export async function fileByteSource(file: string): Promise<ByteSource & { close(): Promise<void> }> {
  const fh = await open(file, 'r');
  const { size } = await fh.stat();
  return {
    size,
    async read(offset: number, length: number): Promise<Buffer> {
      checkRange(offset, length, size);
      const buf = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
        if (bytesRead === 0) throw new Error(`file shrank while reading at offset ${offset + done}`);
        done += bytesRead;
      }
      return buf;
    },
    close: () => fh.close(),
  };
}

/** One top-level member of a JSON array or object, still as text. */
export interface JsonMember {
  index: number;
  /** The member name when the top level is an object. */
  key?: string;
  text: string;
}

export interface JsonScan {
  kind: 'array' | 'object';
}

/** The top level of a JSON document is broken: the file as a whole is unreadable. */
export class JsonShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonShapeError';
  }
}

const STRUCTURAL = /[[\]{}",]/g;

/** End of the string starting at the quote at `at` (index after the closing quote), or -1. */
function stringEnd(text: string, at: number): number {
  let p = at + 1;
  for (;;) {
    const q = text.indexOf('"', p);
    if (q < 0) return -1;
    let bs = 0;
    for (let i = q - 1; i > at && text.charCodeAt(i) === 0x5c; i--) bs++;
    if (bs % 2 === 0) return q + 1;
    p = q + 1;
  }
}

function skipWs(text: string, p: number): number {
  while (p < text.length) {
    const c = text.charCodeAt(p);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    p++;
  }
  return p;
}

/**
 * Splits the top level of a JSON array or object into members without parsing them,
 * so each record is parsed (and fails) on its own. A broken top level (a cut file, a
 * stray bracket, text after the closing one) throws JsonShapeError once the members
 * before it have been handed over: a caller must then drop them, as they are only part
 * of the feed. Only structural characters are visited, with a global regex, so the scan
 * is linear whatever the input.
 */
export function scanJson(text: string, onMember: (m: JsonMember) => void): JsonScan {
  let p = skipWs(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  const open = text[p];
  if (open !== '[' && open !== '{') throw new JsonShapeError(p >= text.length ? 'empty' : `expected a JSON array or object, found ${JSON.stringify(text.slice(p, p + 20))}`);
  const kind = open === '[' ? 'array' : 'object';
  const close = open === '[' ? ']' : '}';
  p++;
  for (let index = 0; ; index++) {
    p = skipWs(text, p);
    if (p >= text.length) throw new JsonShapeError(`JSON ends early: after ${index} members, no closing ${close}`);
    if (text[p] === close) {
      const after = skipWs(text, p + 1);
      if (after < text.length) throw new JsonShapeError(`not JSON: text after the closing ${close} at offset ${after}`);
      return { kind };
    }
    if (index > 0) {
      if (text[p] !== ',') throw new JsonShapeError(`not JSON: expected ',' or '${close}' at offset ${p}`);
      p = skipWs(text, p + 1);
    }
    let key: string | undefined;
    if (kind === 'object') {
      const end = text[p] === '"' ? stringEnd(text, p) : -1;
      if (end < 0) throw new JsonShapeError(p >= text.length || text[p] === '"' ? `JSON ends early: after ${index} members, no closing ${close}` : `not JSON: expected a member name at offset ${p}`);
      try {
        key = JSON.parse(text.slice(p, end)) as string;
      } catch {
        throw new JsonShapeError(`not JSON: bad member name at offset ${p}`);
      }
      p = skipWs(text, end);
      if (p >= text.length) throw new JsonShapeError(`JSON ends early: member #${index + 1} is cut off`);
      if (text[p] !== ':') throw new JsonShapeError(`not JSON: expected ':' at offset ${p}`);
      p = skipWs(text, p + 1);
    }
    const start = p;
    let depth = 0;
    // Whether the member's own closing bracket came before the end: then only the container's is missing.
    let closed = false;
    STRUCTURAL.lastIndex = p;
    let end = -1;
    for (;;) {
      const m = STRUCTURAL.exec(text);
      if (!m) break;
      const c = m[0];
      if (c === '"') {
        const e = stringEnd(text, m.index);
        if (e < 0) break;
        STRUCTURAL.lastIndex = e;
      } else if (c === '[' || c === '{') {
        depth++;
      } else if (c === ']' || c === '}') {
        if (depth === 0) {
          end = m.index;
          break;
        }
        if (--depth === 0) closed = true;
      } else if (depth === 0) {
        end = m.index;
        break;
      }
    }
    if (end < 0 && depth === 0 && closed) throw new JsonShapeError(`JSON ends early: after ${index + 1} members, no closing ${close}`);
    if (end < 0) throw new JsonShapeError(`JSON ends early: member #${index + 1} is cut off`);
    let stop = end;
    while (stop > start && /\s/.test(text[stop - 1]!)) stop--;
    onMember({ index, key, text: text.slice(start, stop) });
    p = end;
  }
}

/** First character that is not whitespace or a byte-order mark, without copying the text. */
export function firstChar(text: string): string | undefined {
  const p = skipWs(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  return p < text.length ? text[p] : undefined;
}

/** Printable text: no C0/C1 control characters other than tab. */
export function hasControl(s: string): boolean {
  return /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.test(s);
}

/** A feed string kept for display: whitespace collapsed, cut to a bounded length. */
export function displayText(s: unknown, max = FEED_LIMITS.maxTextChars): string | undefined {
  if (typeof s !== 'string') return undefined;
  const t = (s.length > max * 4 ? s.slice(0, max * 4) : s).replace(/\s+/g, ' ').trim();
  if (!t) return undefined;
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A name or version quoted in a problem message, cut so a hostile value cannot flood the log. */
export function quote(s: unknown): string {
  const t = typeof s === 'string' ? s : String(s);
  return JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t);
}

/** Severity words used across feeds (GHSA, Red Hat, Ubuntu priorities, OSV `Ubuntu` type). */
export function severityWord(word: unknown): Severity | undefined {
  if (typeof word !== 'string') return undefined;
  switch (word.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
    case 'important':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
      return 'low';
    case 'negligible':
    case 'unimportant':
      return 'negligible';
    case 'unknown':
    case 'untriaged':
    case 'not yet assigned':
      return 'unknown';
    default:
      return undefined;
  }
}

/**
 * Debian urgency: `unimportant`, `low`, `medium`, `high`, `not yet assigned`; a `**`
 * suffix marks an urgency taken from NVD rather than set by Debian, same scale.
 * `end-of-life` is a status, not a severity, and gives none.
 */
export function debianUrgency(urgency: unknown): Severity | undefined {
  if (typeof urgency !== 'string') return undefined;
  // Trailing stars are cut by hand: `/\*+$/` is quadratic on a long run of stars not at the end.
  let end = urgency.length;
  while (end > 0 && urgency.charCodeAt(end - 1) === 0x2a) end--;
  const u = urgency.slice(0, Math.min(end, 64)).trim().toLowerCase();
  if (u === 'end-of-life' || u === '') return undefined;
  return severityWord(u) ?? 'unknown';
}

const ORDER: Severity[] = ['unknown', 'negligible', 'low', 'medium', 'high', 'critical'];

/** The graver of two severities, `unknown` counting least. */
export function graver(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b;
}

/**
 * Scores of the CVSS vectors a record names, deduplicated. A vector that does not parse
 * is reported and left out, so every score shown can be recomputed from its vector.
 */
export function cvssScores(vectors: Iterable<string>, say: (m: string) => void): CvssScore[] | undefined {
  const out: CvssScore[] = [];
  const seen = new Set<string>();
  for (const raw of vectors) {
    const vector = raw.trim();
    if (!vector || seen.has(vector) || seen.size >= 16) continue;
    seen.add(vector);
    try {
      out.push({ version: parseCvss(vector).version, vector, baseScore: cvssBaseScore(vector) });
    } catch (err) {
      if (!(err instanceof CvssError)) throw err;
      say(err.message);
    }
  }
  return out.length ? out : undefined;
}
