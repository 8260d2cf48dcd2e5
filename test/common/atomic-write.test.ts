import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitTempFile, writeFileAtomic, writeFileAtomicSync } from '../../src/common/atomic-write.js';
import { VigilError } from '../../src/common/errors.js';
import { vigil } from '../helpers/cli.js';
import { PKGDB, tempDir } from '../helpers/fixtures.js';

const isRoot = process.getuid?.() === 0;
let tmp: { dir: string; cleanup: () => void };
beforeEach(() => (tmp = tempDir('vigil-aw-')));
afterEach(() => tmp.cleanup());

const p = (name: string) => path.join(tmp.dir, name);
/** Nothing but the named entries is left in the directory: no stray temporary files. */
const entries = () => readdirSync(tmp.dir).sort();

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof VigilError ? err.code : `not a VigilError: ${String(err)}`;
  }
  return undefined;
}

/** Reads a FIFO in a child process while the test writes into it. */
function readFifo(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn('cat', [file]);
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.on('error', reject);
    c.on('close', () => resolve(out));
  });
}

describe('writeFileAtomic on each kind of path', () => {
  for (const [name, write] of [
    ['async', (f: string, d: string, o = {}) => writeFileAtomic(f, d, o)],
    ['sync', async (f: string, d: string, o = {}) => writeFileAtomicSync(f, d, o)],
  ] as const) {
    describe(name, () => {
      it('creates a new file whole, 0644 by default', async () => {
        await write(p('new.json'), '{"a":1}\n');
        expect(readFileSync(p('new.json'), 'utf8')).toBe('{"a":1}\n');
        expect(statSync(p('new.json')).mode & 0o777).toBe(0o644 & ~process.umask());
        expect(entries()).toEqual(['new.json']);
      });

      it('replaces a regular file and keeps its mode', async () => {
        writeFileSync(p('f'), 'old', { mode: 0o640 });
        await write(p('f'), 'new');
        expect(readFileSync(p('f'), 'utf8')).toBe('new');
        expect(statSync(p('f')).mode & 0o777).toBe(0o640);
        expect(entries()).toEqual(['f']);
      });

      it.runIf(isRoot)("keeps a replaced file's owner when running as root", async () => {
        writeFileSync(p('f'), 'old');
        chownSync(p('f'), 1234, 4321);
        await write(p('f'), 'new');
        expect(statSync(p('f'))).toMatchObject({ uid: 1234, gid: 4321 });
      });

      it("writes a symlink's regular-file target and keeps the link", async () => {
        mkdirSync(p('real'));
        writeFileSync(p('real/target.json'), 'old');
        symlinkSync('real/target.json', p('link.json'));
        await write(p('link.json'), 'new');
        expect(lstatSync(p('link.json')).isSymbolicLink()).toBe(true);
        expect(readlinkSync(p('link.json'))).toBe('real/target.json');
        expect(readFileSync(p('real/target.json'), 'utf8')).toBe('new');
        expect(readdirSync(p('real'))).toEqual(['target.json']);
      });

      it('refuses a dangling symlink and a symlink to a directory, leaving both', async () => {
        symlinkSync('nowhere', p('dangling'));
        mkdirSync(p('d'));
        symlinkSync('d', p('to-dir'));
        await expect(write(p('dangling'), 'x')).rejects.toThrow(/refusing to write .*dangling: it is a symbolic link to nothing that exists/);
        await expect(write(p('to-dir'), 'x')).rejects.toThrow(/refusing to write .*to-dir: it is a symbolic link to a directory/);
        expect(readlinkSync(p('dangling'))).toBe('nowhere');
        expect(readlinkSync(p('to-dir'))).toBe('d');
        expect(readdirSync(p('d'))).toEqual([]);
      });

      it('writes into a FIFO, which stays a FIFO', async () => {
        execFileSync('mkfifo', [p('pipe')]);
        const got = readFifo(p('pipe'));
        await write(p('pipe'), 'through the pipe\n');
        expect(await got).toBe('through the pipe\n');
        expect(lstatSync(p('pipe')).isFIFO()).toBe(true);
        expect(entries()).toEqual(['pipe']);
      });

      it.runIf(isRoot)('writes into a character device, directly or through a symlink, which stays a device', async () => {
        execFileSync('mknod', ['-m', '666', p('null'), 'c', '1', '3']);
        symlinkSync('null', p('to-null'));
        await write(p('null'), 'discarded');
        await write(p('to-null'), 'discarded');
        expect(lstatSync(p('null')).isCharacterDevice()).toBe(true);
        expect(lstatSync(p('to-null')).isSymbolicLink()).toBe(true);
        expect(entries()).toEqual(['null', 'to-null']);
      });

      it.runIf(isRoot)('refuses a block device', async () => {
        execFileSync('mknod', ['-m', '600', p('blk'), 'b', '7', '200']);
        await expect(write(p('blk'), 'x')).rejects.toThrow(/it is a block device/);
        expect(lstatSync(p('blk')).isBlockDevice()).toBe(true);
      });

      it('refuses a socket and a directory, leaving both', async () => {
        const server: Server = createServer();
        await new Promise<void>((r) => server.listen(p('sock'), r));
        try {
          await expect(write(p('sock'), 'x')).rejects.toThrow(/refusing to write .*sock: it is a socket/);
          expect(lstatSync(p('sock')).isSocket()).toBe(true);
        } finally {
          server.close();
        }
        mkdirSync(p('dir'));
        await expect(write(p('dir'), 'x')).rejects.toThrow(/it is a directory/);
      });

      it('regularOnly refuses a symlink and a FIFO; exclusive refuses any existing path', async () => {
        writeFileSync(p('t'), 'old');
        symlinkSync('t', p('l'));
        execFileSync('mkfifo', [p('pipe')]);
        await expect(write(p('l'), 'x', { regularOnly: true })).rejects.toThrow(/it is a symbolic link/);
        await expect(write(p('pipe'), 'x', { regularOnly: true })).rejects.toThrow(/it is a FIFO/);
        await expect(write(p('t'), 'x', { exclusive: true })).rejects.toMatchObject({ code: 'CONFLICT' });
        await expect(write(p('l'), 'x', { exclusive: true })).rejects.toMatchObject({ code: 'CONFLICT' });
        expect(readFileSync(p('t'), 'utf8')).toBe('old');
        await write(p('fresh'), 'x', { exclusive: true, mode: 0o600 });
        expect(statSync(p('fresh')).mode & 0o777).toBe(0o600);
        expect(entries()).toEqual(['fresh', 'l', 'pipe', 't']);
      });

      it('fails as IO when the directory is missing', async () => {
        await expect(write(p('missing/f'), 'x')).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/cannot write .*missing\/f: ENOENT/) });
      });
    });
  }

  it('a failing write leaves the old file and no temporary file', async () => {
    writeFileSync(p('state.json'), 'old');
    const failing = async () => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    };
    await expect(writeFileAtomic(p('state.json'), 'new', { writeBytes: failing })).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/ENOSPC/) });
    expect(readFileSync(p('state.json'), 'utf8')).toBe('old');
    expect(entries()).toEqual(['state.json']);
    await expect(writeFileAtomic(p('key'), 'new', { exclusive: true, writeBytes: failing })).rejects.toMatchObject({ code: 'IO' });
    expect(existsSync(p('key'))).toBe(false);
  });

  it('the error codes are the catalog ones', () => {
    mkdirSync(p('dir'));
    expect(codeOf(() => writeFileAtomicSync(p('dir'), 'x'))).toBe('INVALID_INPUT');
    expect(codeOf(() => writeFileAtomicSync(p('nope/f'), 'x'))).toBe('IO');
  });

  it('commitTempFile moves a finished file over a regular one and refuses a symlink', async () => {
    writeFileSync(p('feed.json'), 'old');
    writeFileSync(p('.feed.tmp'), 'new');
    await commitTempFile(p('.feed.tmp'), p('feed.json'));
    expect(readFileSync(p('feed.json'), 'utf8')).toBe('new');
    writeFileSync(p('.feed2.tmp'), 'new');
    symlinkSync('feed.json', p('feed2.json'));
    await expect(commitTempFile(p('.feed2.tmp'), p('feed2.json'))).rejects.toThrow(/symbolic link/);
    expect(lstatSync(p('feed2.json')).isSymbolicLink()).toBe(true);
  });
});

describe('vigil -o never destroys what it writes to', () => {
  const lockfile = path.join(PKGDB, 'npm/real-npm-v2');

  it.runIf(isRoot)('sbom -o onto a character device writes into it, and the device stays', async () => {
    execFileSync('mknod', ['-m', '666', p('null'), 'c', '1', '3']);
    const r = await vigil(['sbom', lockfile, '-o', p('null')]);
    expect(r.stderr).not.toMatch(/refusing/);
    expect(r.code).toBe(0);
    expect(lstatSync(p('null')).isCharacterDevice()).toBe(true);
    expect(entries()).toEqual(['null']);
  });

  it('sbom -o onto a FIFO streams the document through it', async () => {
    execFileSync('mkfifo', [p('pipe')]);
    const got = readFifo(p('pipe'));
    const r = await vigil(['sbom', lockfile, '--format', 'cyclonedx', '-o', p('pipe')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(await got)).toMatchObject({ bomFormat: 'CycloneDX' });
    expect(lstatSync(p('pipe')).isFIFO()).toBe(true);
  });

  it('sbom -o onto a symlink to a directory refuses in one line, exit 4, and leaves the link', async () => {
    mkdirSync(p('d'));
    symlinkSync('d', p('out.json'));
    const r = await vigil(['sbom', lockfile, '-o', p('out.json')]);
    expect(r.stderr).toMatch(/^vigil: refusing to write .*out\.json: it is a symbolic link to a directory/m);
    expect(r.code).toBe(4);
    expect(readlinkSync(p('out.json'))).toBe('d');
  });
});
