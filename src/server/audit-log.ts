import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import type { Principal } from './api-tokens.js';

/**
 * The audit log: every mutating API call and every refused one, as JSON lines in
 * audit.jsonl (0600), appended and fsync'd before the response leaves. Each entry
 * carries the SHA-256 of the line before it, so an edited or deleted line breaks the
 * chain from there on (`verify`). Nothing rewrites the file.
 */

export const AUDIT_FILE = 'audit.jsonl';
const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  time: string;
  /** The token that made the call; null when none or an unknown one was shown. */
  actor: Principal | null;
  /** The peer's address. */
  remote: string;
  method: string;
  /** The route's pattern (`/api/v1/hosts/:id/revoke`) and the path as called. */
  route: string;
  path: string;
  status: number;
  /** The error code of a refused or failed call (src/common/errors.ts). */
  code?: string;
  /** SHA-256 (hex) of the previous line, all zeros for the first. */
  prev: string;
}

export type AuditInput = Omit<AuditEntry, 'seq' | 'prev'>;

function lineHash(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

export class AuditLog {
  readonly file: string;
  private seq = 0;
  private prev = GENESIS;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.file = path.join(dir, AUDIT_FILE);
    const lines = this.lines();
    const last = lines[lines.length - 1];
    if (last !== undefined) {
      const entry = parseLine(this.file, last, lines.length);
      this.seq = entry.seq;
      this.prev = lineHash(last);
    }
  }

  private lines(): string[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new VigilError('IO', `cannot read the audit log ${this.file}`, { cause: err });
    }
    // A line cut short by a crash mid-append is not an entry: the next append starts a fresh line after it.
    return text.split('\n').filter((l, i, all) => l !== '' && (i < all.length - 1 || text.endsWith('\n')));
  }

  append(input: AuditInput): AuditEntry {
    const entry: AuditEntry = { seq: this.seq + 1, ...input, prev: this.prev };
    const line = JSON.stringify(entry);
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, line + '\n');
      fsyncSync(fd);
    } catch (err) {
      throw new VigilError('IO', `cannot append to the audit log ${this.file}`, { cause: err });
    } finally {
      closeSync(fd);
    }
    this.seq = entry.seq;
    this.prev = lineHash(line);
    return entry;
  }

  /** Entries after `afterSeq`, oldest first, at most `limit`; `more` says whether others follow. */
  list(afterSeq: number, limit: number): { items: AuditEntry[]; more: boolean } {
    const all = this.lines();
    const items: AuditEntry[] = [];
    let more = false;
    for (let i = 0; i < all.length; i++) {
      const e = parseLine(this.file, all[i]!, i + 1);
      if (e.seq <= afterSeq) continue;
      if (items.length === limit) {
        more = true;
        break;
      }
      items.push(e);
    }
    return { items, more };
  }

  /** The first entry (line number) whose chain link is broken, or undefined when the whole log holds together. */
  verify(): { line: number; reason: string } | undefined {
    let prev = GENESIS;
    const all = this.lines();
    for (let i = 0; i < all.length; i++) {
      let e: AuditEntry;
      try {
        e = parseLine(this.file, all[i]!, i + 1);
      } catch (err) {
        return { line: i + 1, reason: (err as Error).message };
      }
      if (e.prev !== prev) return { line: i + 1, reason: 'the previous line was changed or removed' };
      if (e.seq !== i + 1) return { line: i + 1, reason: `sequence ${e.seq} where ${i + 1} was expected` };
      prev = lineHash(all[i]!);
    }
    return undefined;
  }
}

function parseLine(file: string, line: string, n: number): AuditEntry {
  try {
    const e = JSON.parse(line) as AuditEntry;
    if (typeof e.seq !== 'number' || typeof e.prev !== 'string') throw new Error('no seq or prev');
    return e;
  } catch (err) {
    throw new VigilError('INVALID_INPUT', `${file}:${n} is not an audit entry (${(err as Error).message})`);
  }
}
