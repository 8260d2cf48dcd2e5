import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import { withFileLock } from '../common/file-lock.js';
import { writeSecretFile } from '../common/secret-files.js';

/**
 * Enrollment tokens: a secret handed to a host once, exchanged for its client
 * certificate. Only a SHA-256 of each token is stored, so a copy of the file
 * enrolls nothing. Every change is a read-modify-write under a lock file
 * (withFileLock), synchronous within the process: two redemptions of a one-use
 * token, or a redemption racing `vigil token create` in another process, cannot
 * both win or undo each other.
 */

export const TOKENS_FILE = 'tokens.json';
/** Every enrollment token starts with this. */
export const TOKEN_PREFIX = 'vigil_et_';
const TOKEN_BYTES = 24;

interface StoredToken {
  sha256: string;
  createdAt: string;
  expiresAt: string;
  usesLeft: number;
}

interface TokenFile {
  version: 1;
  tokens: StoredToken[];
}

export interface CreatedToken {
  token: string;
  expiresAt: string;
  uses: number;
}

function hash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export class TokenStore {
  readonly file: string;
  constructor(dir: string) {
    this.file = path.join(dir, TOKENS_FILE);
  }

  private read(): TokenFile {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tokens: [] };
      throw new VigilError('IO', `cannot read ${this.file}`, { cause: err });
    }
    try {
      const doc = JSON.parse(text) as TokenFile;
      if (doc.version !== 1 || !Array.isArray(doc.tokens)) throw new Error('unexpected layout');
      return doc;
    } catch (err) {
      throw new VigilError('INVALID_INPUT', `${this.file} is not a Vigil token file`, { cause: err });
    }
  }

  private write(doc: TokenFile): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    writeSecretFile(this.file, JSON.stringify(doc, null, 2) + '\n');
  }

  create(opts: { ttlSeconds: number; uses?: number; now?: Date }): CreatedToken {
    const uses = opts.uses ?? 1;
    if (!Number.isInteger(opts.ttlSeconds) || opts.ttlSeconds <= 0) throw new VigilError('USAGE', 'token lifetime must be a positive number of seconds');
    if (!Number.isInteger(uses) || uses < 1) throw new VigilError('USAGE', 'token uses must be a positive integer');
    const now = opts.now ?? new Date();
    // The prefix makes a token recognisable (secret scanners, logs) and means it never
    // starts with "-", which a command line would read as an option.
    const token = `${TOKEN_PREFIX}${randomBytes(TOKEN_BYTES).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + opts.ttlSeconds * 1000).toISOString();
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    withFileLock(this.file, () => {
      const doc = this.read();
      // Spent and expired entries are dropped here so the file does not grow forever.
      doc.tokens = doc.tokens.filter((t) => t.usesLeft > 0 && Date.parse(t.expiresAt) > now.getTime());
      doc.tokens.push({ sha256: hash(token).toString('hex'), createdAt: now.toISOString(), expiresAt, usesLeft: uses });
      this.write(doc);
    });
    return { token, expiresAt, uses };
  }

  /** Consume one use of a token; throws a one-line error saying why it cannot be used. */
  redeem(token: string, now = new Date()): { usesLeft: number } {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    return withFileLock(this.file, () => this.redeemLocked(token, now));
  }

  /**
   * Whether a token would redeem now, spending nothing: lets enrolment refuse what the
   * fleet's state forbids without burning the token, and only after the caller showed one.
   */
  check(token: string, now = new Date()): void {
    this.usable(this.read(), token, now);
  }

  private redeemLocked(token: string, now: Date): { usesLeft: number } {
    const doc = this.read();
    const found = this.usable(doc, token, now);
    found.usesLeft -= 1;
    this.write(doc);
    return { usesLeft: found.usesLeft };
  }

  private usable(doc: TokenFile, token: string, now: Date): StoredToken {
    const want = hash(token);
    let found: StoredToken | undefined;
    // Every entry is compared, in constant time, so timing reveals neither which nor whether one matched.
    for (const t of doc.tokens) {
      const h = Buffer.from(t.sha256, 'hex');
      if (h.length === want.length && timingSafeEqual(h, want) && !found) found = t;
    }
    if (!found) throw new VigilError('UNAUTHENTICATED', 'unknown enrollment token');
    if (Date.parse(found.expiresAt) <= now.getTime()) throw new VigilError('UNAUTHENTICATED', 'enrollment token expired');
    if (found.usesLeft <= 0) throw new VigilError('UNAUTHENTICATED', 'enrollment token already used');
    return found;
  }
}

/** `1h`, `30m`, `45s`, `2d` or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!m) throw new VigilError('USAGE', `invalid duration ${JSON.stringify(text)}; use e.g. 30m, 1h, 2d or seconds`);
  const n = Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
  if (n <= 0) throw new VigilError('USAGE', 'duration must be positive');
  return n;
}

export function createToken(dir: string, opts: { ttlSeconds: number; uses?: number; now?: Date }): CreatedToken {
  return new TokenStore(dir).create(opts);
}

export function checkToken(dir: string, token: string, now = new Date()): void {
  new TokenStore(dir).check(token, now);
}

export function redeemToken(dir: string, token: string, now = new Date()): { usesLeft: number } {
  return new TokenStore(dir).redeem(token, now);
}
