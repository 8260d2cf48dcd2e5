import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFeeds } from '../../src/advisories/feeds.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

const ARCHIVE = path.join(REPO, 'data/feeds/debian12-archive');
const FEED = path.join(ARCHIVE, 'debian12.osv.json.gz');

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('vigil-feeds-')));
afterEach(() => tmp.cleanup());

describe('readFeeds', () => {
  it('counts only recognised feeds in its progress, not the README beside them', async () => {
    const seen: Array<[number, number, string]> = [];
    const res = await readFeeds([ARCHIVE], (done, total, file) => seen.push([done, total, path.basename(file)]));
    expect(res.feeds.map((f) => f.name)).toEqual(['osv:debian12.osv.json.gz']);
    expect(res.skipped.map((f) => path.basename(f))).toEqual(['README.md']);
    expect(seen).toEqual([
      [0, 1, 'debian12.osv.json.gz'],
      [1, 1, ''],
    ]);
  });

  it('names a gzip feed cut short as cut short, at any length, not as an empty file', async () => {
    const whole = readFileSync(FEED);
    for (const n of [3, 10, 20, 100, 5000]) {
      const file = path.join(tmp.dir, `cut-${n}.osv.json.gz`);
      writeFileSync(file, whole.subarray(0, n));
      await expect(readFeeds([file])).rejects.toThrow(new RegExp(`cut-${n}\\.osv\\.json\\.gz: gzip data is cut short`));
    }
  });

  it('a cut-short feed inside a directory aborts the import too, naming it', async () => {
    mkdirSync(path.join(tmp.dir, 'd'));
    copyFileSync(FEED, path.join(tmp.dir, 'd/good.osv.json.gz'));
    writeFileSync(path.join(tmp.dir, 'd/bad.osv.json.gz'), readFileSync(FEED).subarray(0, 50));
    await expect(readFeeds([path.join(tmp.dir, 'd')])).rejects.toThrow(/bad\.osv\.json\.gz: gzip data is cut short after 50 bytes/);
  });

  it('still calls a gzip of nothing and a zero-byte file empty', async () => {
    writeFileSync(path.join(tmp.dir, 'nothing.json.gz'), gzipSync(Buffer.alloc(0)));
    writeFileSync(path.join(tmp.dir, 'zero.json'), '');
    await expect(readFeeds([path.join(tmp.dir, 'nothing.json.gz')])).rejects.toThrow(/nothing\.json\.gz: empty file/);
    await expect(readFeeds([path.join(tmp.dir, 'zero.json')])).rejects.toThrow(/zero\.json: empty file/);
  });
});
