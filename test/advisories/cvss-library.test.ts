import { existsSync } from 'node:fs';
import path from 'node:path';
import cvssCalculator from 'ae-cvss-calculator';
import { describe, expect, it } from 'vitest';
import { cvssBaseScore, CvssError, parseCvss } from '../../src/advisories/cvss.js';
import { readFeeds } from '../../src/advisories/feeds.js';
import { REPO } from '../helpers/fixtures.js';

/**
 * Vigil scores CVSS vectors with its own code (src/advisories/cvss.ts). This test holds
 * it to a maintained library, {metæffekt}'s ae-cvss-calculator (Apache-2.0, all four
 * versions), on every vector the bundled feeds and the NVD and CVE 5 fixtures carry:
 * the same base score for every vector, and the same verdict on which vectors are valid.
 */

const { fromVector } = cvssCalculator;
const PATHS = [path.join(REPO, 'data/feeds'), path.join(REPO, 'test/fixtures/advisories/nvd'), path.join(REPO, 'test/fixtures/advisories/cve5')].filter((p) => existsSync(p));

describe('CVSS scores against ae-cvss-calculator', () => {
  it('agrees on the base score of every vector in the bundled feeds and fixtures', async () => {
    const { feeds } = await readFeeds(PATHS);
    const vectors = new Set<string>();
    for (const f of feeds) for (const a of f.advisories) for (const c of a.cvss ?? []) vectors.add(c.vector);
    const byVersion: Record<string, number> = {};
    const differ: string[] = [];
    for (const v of vectors) {
      const version = parseCvss(v).version;
      byVersion[version] = (byVersion[version] ?? 0) + 1;
      const lib = fromVector(v);
      if (!lib) {
        differ.push(`${v}: the library refuses it`);
        continue;
      }
      // CVSS v4.0: Vigil scores the base metrics only (CVSS-B): exploitation comes from KEV
      // and EPSS, not from a publisher's threat metric (E:P would make it CVSS-BT).
      const scores = lib.calculateScores() as { base?: number; baseMetricsOnly?: number };
      const theirs = version === '4.0' ? scores.baseMetricsOnly : scores.base;
      const ours = cvssBaseScore(v);
      if (theirs !== ours) differ.push(`${v}: Vigil ${ours}, library ${theirs}`);
    }
    console.info(`CVSS vectors compared: ${vectors.size} (${Object.entries(byVersion).sort().map(([k, n]) => `v${k} ${n}`).join(', ')})`);
    expect(differ).toEqual([]);
    // Every version occurs, so none is compared on nothing.
    expect(Object.keys(byVersion).sort()).toEqual(['2.0', '3.0', '3.1', '4.0']);
    expect(vectors.size).toBeGreaterThan(500);
  }, 120_000);

  it('refuses malformed vectors, strictly: where the library fills in a missing metric, Vigil does not guess', () => {
    const bad = [
      'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
      'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N',
      'AV:N/AC:L/Au:N/C:P/I:P',
      'CVSS:9.9/AV:N',
      '',
    ];
    for (const v of bad) expect(() => cvssBaseScore(v), v).toThrow(CvssError);
  });
});
