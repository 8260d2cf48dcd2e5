import { describe, expect, it } from 'vitest';
import { AttemptLimiter, MemorySessions, SESSION_IDLE_MS, cookieValue, csrfMatches, sessionCookie, sessionExpiry } from '../../src/server/api/sessions.js';

/**
 * Console sessions on a clock the test sets: a session ends 12 h after its last use or
 * when its token expires, whichever comes first; a revoked token ends all of its
 * sessions; the CSRF token is the session's own; sign-in attempts refill per minute.
 */

const operator = { tokenId: '0123456789ab', name: 'oncall', role: 'operator' as const };
const T0 = Date.parse('2026-11-01T00:00:00Z');

describe('console sessions', () => {
  it('end 12 hours after their last use, and each use restarts the clock', () => {
    const store = new MemorySessions();
    const { id, session } = store.create(operator, undefined, T0);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessionExpiry(session)).toBe(T0 + SESSION_IDLE_MS);
    expect(store.touch(id, T0 + SESSION_IDLE_MS - 1)?.principal).toEqual(operator);
    // Used just before its end, it lives another 12 hours from then.
    expect(store.touch(id, T0 + 2 * SESSION_IDLE_MS - 2)).toBeDefined();
    expect(store.touch(id, T0 + 3 * SESSION_IDLE_MS)).toBeUndefined();
    // Once ended it stays ended.
    expect(store.touch(id, T0)).toBeUndefined();
  });

  it('end when their token expires, if that comes before the idle limit', () => {
    const store = new MemorySessions();
    const { id, session } = store.create(operator, T0 + 3600_000, T0);
    expect(sessionExpiry(session)).toBe(T0 + 3600_000);
    expect(store.touch(id, T0 + 3600_000 - 1)).toBeDefined();
    expect(store.touch(id, T0 + 3600_000)).toBeUndefined();
  });

  it('end at sign-out, and every session of a revoked token ends at once', () => {
    const store = new MemorySessions();
    const a = store.create(operator, undefined, T0);
    const b = store.create(operator, undefined, T0);
    const other = store.create({ ...operator, tokenId: 'ba9876543210' }, undefined, T0);
    store.end(a.id);
    expect(store.touch(a.id, T0)).toBeUndefined();
    expect(store.endToken(operator.tokenId)).toBe(1);
    expect(store.touch(b.id, T0)).toBeUndefined();
    expect(store.touch(other.id, T0)).toBeDefined();
  });

  it('each carry their own CSRF token, and nothing else matches it', () => {
    const store = new MemorySessions();
    const a = store.create(operator, undefined, T0).session;
    const b = store.create(operator, undefined, T0).session;
    expect(a.csrf).not.toBe(b.csrf);
    expect(csrfMatches(a, a.csrf)).toBe(true);
    for (const wrong of [b.csrf, undefined, '', a.csrf.slice(1), `${a.csrf}x`]) expect(csrfMatches(a, wrong)).toBe(false);
  });

  it('read the cookie out of a Cookie header and write it HttpOnly, SameSite=Strict on /api/, Secure on HTTPS', () => {
    expect(cookieValue('theme=dark; vigil_session=abc; x=y', 'vigil_session')).toBe('abc');
    expect(cookieValue('vigil_sessionx=abc', 'vigil_session')).toBeUndefined();
    expect(cookieValue(undefined, 'vigil_session')).toBeUndefined();
    expect(sessionCookie('abc', false)).toBe('vigil_session=abc; Path=/api/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('abc', true)).toBe('vigil_session=abc; Path=/api/; HttpOnly; SameSite=Strict; Secure');
    expect(sessionCookie(undefined, false)).toBe('vigil_session=; Max-Age=0; Path=/api/; HttpOnly; SameSite=Strict');
  });

  it('limit failed sign-ins per address: a burst, then one per refill interval', () => {
    const limiter = new AttemptLimiter(10, 10);
    for (let i = 0; i < 10; i++) expect(limiter.take('10.0.0.1', T0).ok).toBe(true);
    expect(limiter.take('10.0.0.1', T0)).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(limiter.take('10.0.0.2', T0).ok).toBe(true);
    // Six seconds refill one attempt at ten a minute.
    expect(limiter.take('10.0.0.1', T0 + 6000).ok).toBe(true);
    expect(limiter.take('10.0.0.1', T0 + 6000).ok).toBe(false);
    expect(limiter.take('10.0.0.1', T0 + 600_000).ok).toBe(true);
    // A sign-in that succeeds gives its attempt back.
    const fresh = new AttemptLimiter(2, 10);
    for (let i = 0; i < 5; i++) {
      expect(fresh.take('10.0.0.3', T0).ok).toBe(true);
      fresh.refund('10.0.0.3');
    }
  });
});
