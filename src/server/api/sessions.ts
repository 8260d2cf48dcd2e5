import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../api-tokens.js';

/**
 * Browser sessions of the web console. Signing in with an API token (POST
 * /api/v1/session) makes a session: a random 256-bit id, sent back as the HttpOnly,
 * SameSite=Strict cookie `vigil_session`, and a random CSRF token bound to it that a
 * mutating request must repeat in `X-CSRF-Token`. The server keeps only the SHA-256 of
 * each id, with the token's id, role and tags, so a memory dump names no live cookie.
 * A session ends at sign-out, after 12 h unused, when its token expires, and at once
 * when its token is revoked (the caller checks the token on every request).
 *
 * Sessions are held in this process's memory: a restart signs everyone out, and
 * replicas behind one address need the client kept on one replica until a shared
 * store implements `SessionStore`.
 */

export const SESSION_COOKIE = 'vigil_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_IDLE_MS = 12 * 3600_000;
/** Sessions one process keeps at most: the oldest idle one goes first beyond it. */
const MAX_SESSIONS = 10_000;

export interface Session {
  principal: Principal;
  csrf: string;
  createdAt: number;
  lastUsedAt: number;
  /** When the token itself expires (ms), if it does. */
  tokenExpiresAt?: number;
}

export interface SessionStore {
  create(principal: Principal, tokenExpiresAt: number | undefined, now: number): { id: string; session: Session };
  /** The live session a cookie names, its idle clock restarted; undefined when unknown or expired. */
  touch(id: string, now: number): Session | undefined;
  end(id: string): void;
  /** Ends every session of a token (revoked). */
  endToken(tokenId: string): number;
}

const key = (id: string): string => createHash('sha256').update(id).digest('base64url');

/** When a session stops working: 12 h after its last use, or its token's expiry if sooner. */
export function sessionExpiry(s: Session): number {
  const idle = s.lastUsedAt + SESSION_IDLE_MS;
  return s.tokenExpiresAt !== undefined ? Math.min(idle, s.tokenExpiresAt) : idle;
}

export class MemorySessions implements SessionStore {
  private readonly byKey = new Map<string, Session>();

  create(principal: Principal, tokenExpiresAt: number | undefined, now: number): { id: string; session: Session } {
    this.sweep(now);
    if (this.byKey.size >= MAX_SESSIONS) {
      // Map order is insertion order and touch() re-inserts, so the first is the least recently used.
      const oldest = this.byKey.keys().next().value;
      if (oldest !== undefined) this.byKey.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const session: Session = { principal, csrf: randomBytes(32).toString('base64url'), createdAt: now, lastUsedAt: now, ...(tokenExpiresAt !== undefined ? { tokenExpiresAt } : {}) };
    this.byKey.set(key(id), session);
    return { id, session };
  }

  touch(id: string, now: number): Session | undefined {
    const k = key(id);
    const s = this.byKey.get(k);
    if (!s) return undefined;
    this.byKey.delete(k);
    if (sessionExpiry(s) <= now) return undefined;
    s.lastUsedAt = now;
    this.byKey.set(k, s);
    return s;
  }

  end(id: string): void {
    this.byKey.delete(key(id));
  }

  endToken(tokenId: string): number {
    let n = 0;
    for (const [k, s] of this.byKey) if (s.principal.tokenId === tokenId && this.byKey.delete(k)) n++;
    return n;
  }

  private sweep(now: number): void {
    for (const [k, s] of this.byKey) if (sessionExpiry(s) <= now) this.byKey.delete(k);
  }
}

/** Whether a presented CSRF token is the session's, in constant time for any input. */
export function csrfMatches(session: Session, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(session.csrf).digest();
  return timingSafeEqual(a, b);
}

/** The value of one cookie in a Cookie header, if present. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The Set-Cookie value for a session id (or, with `undefined`, one that removes the cookie). */
export function sessionCookie(id: string | undefined, secure: boolean): string {
  const attrs = ['Path=/api/', 'HttpOnly', 'SameSite=Strict', ...(secure ? ['Secure'] : [])];
  return id === undefined ? [`${SESSION_COOKIE}=`, 'Max-Age=0', ...attrs].join('; ') : [`${SESSION_COOKIE}=${id}`, ...attrs].join('; ');
}

/**
 * Failed sign-in attempts per source address: a bucket of `burst` attempts refilled at
 * `perMinute`, so a guesser gets a few tries and then one every few seconds.
 */
export class AttemptLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst = 10,
    private readonly perMinute = 10,
  ) {}

  /** Takes one attempt for `address`; answers the seconds to wait when none is left. */
  take(address: string, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.buckets.size > 10_000) for (const [a, b] of this.buckets) if (this.refill(b, now) >= this.burst) this.buckets.delete(a);
    const b = this.buckets.get(address) ?? { tokens: this.burst, at: now };
    b.tokens = this.refill(b, now);
    b.at = now;
    this.buckets.set(address, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((1 - b.tokens) * 60) / this.perMinute)) };
  }

  /** Gives back the attempt `take` took: a sign-in that succeeded costs nothing. */
  refund(address: string): void {
    const b = this.buckets.get(address);
    if (b) b.tokens = Math.min(this.burst, b.tokens + 1);
  }

  private refill(b: { tokens: number; at: number }, now: number): number {
    return Math.min(this.burst, b.tokens + ((now - b.at) / 60_000) * this.perMinute);
  }
}
