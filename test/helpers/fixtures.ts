import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { CollectContext, Collector } from '../../src/inventory/collector.js';
import type { OsInfo } from '../../src/common/model.js';
import { removeTree } from '../../src/bench/tree-copy.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = path.join(REPO, 'test/fixtures');
export const PKGDB = path.join(FIXTURES, 'pkgdb');
export const CACHE_DIR = process.env.VIGIL_CACHE_DIR ?? '/var/cache/vigil-test';

export const silentLog = pino({ level: 'silent' });

/**
 * A throwaway directory removed by the returned cleanup, which first unmounts anything
 * a test mounted inside it, so the removal never reaches into another file system.
 */
export function tempDir(prefix = 'vigil-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => removeTree(dir) };
}

export type TreeSpec = Record<string, string | Buffer | { copy: string }>;

/** Build a mini root filesystem: keys are root-relative paths, values contents or fixture copies. */
export function makeRoot(spec: TreeSpec): { root: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir('vigil-root-');
  for (const [rel, content] of Object.entries(spec)) {
    const dest = path.join(dir, rel);
    mkdirSync(path.dirname(dest), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) copyFileSync(content.copy, dest);
    else writeFileSync(dest, content);
  }
  return { root: dir, cleanup };
}

export const DEBIAN_12: OsInfo = { id: 'debian', versionId: '12', versionCodename: 'bookworm', distro: 'debian-12' };

export async function runCollector(c: Collector, root: string, extra: Partial<CollectContext> = {}) {
  return c.collect({ root, files: [], live: false, log: silentLog, ...extra });
}
