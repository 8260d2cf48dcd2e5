import { describe, expect, it } from 'vitest';
import { scoreReasons, vigilScore } from '../../src/matcher/score.js';

describe('the Vigil score', () => {
  // The worked examples of the README's "Vigil score" section, exactly.
  it.each([
    ['an exploited CVSS 9.8 flaw in a process listening on any address', { cvss: 9.8, severity: 'critical', kev: true, exposure: 'any', inUse: true }, 9.3],
    ['the same flaw in a package nothing runs', { cvss: 9.8, severity: 'critical', kev: true, exposure: 'none', inUse: false }, 7.4],
    ['a CVSS 7.5 flaw with EPSS 0.02 in a loopback-only daemon', { cvss: 7.5, severity: 'high', kev: false, epss: 0.02, exposure: 'loopback', inUse: true }, 4.2],
    ['a low-severity flaw without CVSS on a high-criticality asset, not running', { severity: 'low', kev: false, exposure: 'none', inUse: false, criticality: 'high' }, 1.7],
  ] as const)('%s', (_label, input, expected) => {
    expect(vigilScore(input)).toBe(expected);
  });

  it('never exceeds 10 and orders exposure as documented', () => {
    const base = { cvss: 10, severity: 'critical', kev: true, inUse: true, criticality: 'high' } as const;
    expect(vigilScore({ ...base, exposure: 'any' })).toBe(10);
    const any = vigilScore({ ...base, exposure: 'any', cvss: 6 });
    const priv = vigilScore({ ...base, exposure: 'private', cvss: 6 });
    const loop = vigilScore({ ...base, exposure: 'loopback', cvss: 6 });
    const none = vigilScore({ ...base, exposure: 'none', cvss: 6, inUse: false });
    expect(any).toBeGreaterThan(priv);
    expect(priv).toBeGreaterThan(loop);
    expect(loop).toBeGreaterThan(none);
  });
});

describe('score reasons', () => {
  it('say when the component was found only in a package cache, without changing the score', () => {
    const input = { cvss: 7.5, severity: 'high', kev: false, exposure: 'none', inUse: false } as const;
    expect(scoreReasons(input, { cache: 'maven-local-repository' }).at(-1)).toBe('found only in the package cache maven-local-repository: downloaded, not necessarily installed');
    expect(scoreReasons(input, {}).some((r) => r.includes('cache'))).toBe(false);
  });
});
