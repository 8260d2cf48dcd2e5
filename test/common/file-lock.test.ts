import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/common/file-lock.js';
import { REPO, tempDir } from '../helpers/fixtures.js';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('vigil-lock-')));
afterEach(() => tmp.cleanup());

/** Runs `count` processes at once, each doing `iterations` locked increments of one counter file. */
function race(file: string, count: number, iterations: number, locked: boolean): void {
  const script = `
    const fs = await import('node:fs');
    const { withFileLock } = await import(${JSON.stringify(path.join(REPO, 'dist/common/file-lock.js'))});
    const tmp = process.argv[1] + '.' + process.pid + '.tmp';
    const bump = () => { const n = Number(fs.readFileSync(process.argv[1], 'utf8')); fs.writeFileSync(tmp, String(n + 1)); fs.renameSync(tmp, process.argv[1]); };
    // All start together, so their loops overlap.
    while (Date.now() < Number(process.argv[2]));
    for (let i = 0; i < ${iterations}; i++) ${locked ? 'withFileLock(process.argv[1], bump)' : 'bump()'};
  `;
  // One shell-free parent that starts them together and waits for all.
  const parent = `
    const { spawn } = require('node:child_process');
    let left = ${count};
    const start = String(Date.now() + 1500);
    for (let i = 0; i < ${count}; i++) spawn(process.execPath, ['--input-type=module', '-e', ${JSON.stringify(script)}, ${JSON.stringify(file)}, start], { stdio: 'inherit' }).on('exit', () => --left || process.exit(0));
  `;
  const r = spawnSync(process.execPath, ['-e', parent], { encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr).toBe('');
}

describe('withFileLock', () => {
  it('serialises read-modify-write across processes: no update is lost', () => {
    const file = path.join(tmp.dir, 'counter');
    writeFileSync(file, '0');
    race(file, 6, 300, true);
    expect(readFileSync(file, 'utf8')).toBe('1800');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('loses updates without it (the race above is real)', () => {
    const file = path.join(tmp.dir, 'counter');
    writeFileSync(file, '0');
    race(file, 6, 300, false);
    expect(Number(readFileSync(file, 'utf8'))).toBeLessThan(1800);
  });

  it('takes over a lock whose holder process is gone', () => {
    const file = path.join(tmp.dir, 'state.json');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(`${file}.lock`, dead);
    expect(withFileLock(file, () => 'ran', { timeoutMs: 2000 })).toBe('ran');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('waits for a live holder, then fails naming the lock and its holder', () => {
    const file = path.join(tmp.dir, 'state.json');
    writeFileSync(`${file}.lock`, String(process.pid));
    expect(() => withFileLock(file, () => 'ran', { timeoutMs: 200 })).toThrow(new RegExp(`state\\.json\\.lock is held by process ${process.pid}`));
    // Not taken over and not removed: it belongs to a live process.
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(String(process.pid));
  });

  it('releases the lock when the critical section throws', () => {
    const file = path.join(tmp.dir, 'state.json');
    expect(() => withFileLock(file, () => { throw new Error('boom'); })).toThrow('boom');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
