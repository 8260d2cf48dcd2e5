import path from 'node:path';
import { apkCollector } from '../../src/inventory/collectors/apk.js';
import { dpkgCollector } from '../../src/inventory/collectors/dpkg.js';
import type { Component } from '../../src/common/model.js';
import { DEBIAN_12, PKGDB, makeRoot, runCollector } from '../helpers/fixtures.js';

const ALPINE = { id: 'alpine', versionId: '3.19.1', distro: 'alpine-3.19.1' };

/** Real components, as the dpkg and apk collectors produce them from the fixture databases. */
export async function fixtureComponents(): Promise<Component[]> {
  const out: Component[] = [];
  for (const f of ['dpkg/trivy-valid-status', 'dpkg/syft-image-dpkg-status', 'debian12-minbase-status']) {
    const { root, cleanup } = makeRoot({ 'var/lib/dpkg/status': { copy: path.join(PKGDB, f) } });
    try {
      out.push(...(await runCollector(dpkgCollector, root, { os: DEBIAN_12 })).components);
    } finally {
      cleanup();
    }
  }
  for (const f of ['syft-multiple-1', 'syft-multiple-2', 'trivy-apk']) {
    const { root, cleanup } = makeRoot({ 'lib/apk/db/installed': { copy: path.join(PKGDB, 'apk', f, 'installed') } });
    try {
      out.push(...(await runCollector(apkCollector, root, { os: ALPINE })).components);
    } finally {
      cleanup();
    }
  }
  return out;
}

/** Deterministic PRNG (mulberry32) so a failing property run can be replayed from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * A random inventory from the pool: a random subset, where some components keep
 * their identity but change content (a license or a metadata fact), as a package
 * whose database entry was edited in place would, and some flip `inUse`.
 */
export function randomInventory(pool: readonly Component[], rand: () => number): Component[] {
  return shuffle(pool.filter(() => rand() < 0.5), rand).map((c) => {
    const r = rand();
    if (r < 0.1) return { ...c, licenses: [...(c.licenses ?? []), 'LicenseRef-edited'] };
    if (r < 0.2) return { ...c, metadata: { ...c.metadata, edited: Math.floor(rand() * 3) } };
    if (r < 0.3) return { ...c, inUse: rand() < 0.5 };
    return c;
  });
}
