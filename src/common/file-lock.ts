import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { VigilError } from './errors.js';

/**
 * A lock file beside `file` (`<file>.lock`, created with O_EXCL) held for the
 * duration of `fn`: a read-modify-write of a small file by several processes (the
 * server redeeming an enrollment token while `vigil token create` adds one) then
 * cannot lose either update. Waits up to `timeoutMs`; a lock whose holder process is
 * gone, or that is older than `staleMs`, is taken over. Synchronous, for critical
 * sections of a few milliseconds.
 */
export function withFileLock<T>(file: string, fn: () => T, opts: { timeoutMs?: number; staleMs?: number } = {}): T {
  const lock = `${file}.lock`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      try {
        writeSync(fd, String(process.pid));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new VigilError('IO', `cannot create ${lock}`, { cause: err });
    }
    const holder = lockHolder(lock);
    // An empty file is a holder between creating and writing it, not a stale lock.
    if (holder !== undefined && ((holder.pid !== undefined && !alive(holder.pid)) || Date.now() - holder.mtimeMs > staleMs)) {
      try {
        unlinkSync(lock);
      } catch {
        // another process took it over first
      }
      continue;
    }
    if (Date.now() > deadline) throw new VigilError('UNAVAILABLE', `${lock} is held by process ${holder?.pid ?? '?'}; remove the file if no vigil process is using ${file}`);
    Atomics.wait(nap, 0, 0, 5);
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      // already gone: taken over as stale by another process after staleMs
    }
  }
}

function lockHolder(lock: string): { pid?: number; mtimeMs: number } | undefined {
  try {
    const mtimeMs = statSync(lock).mtimeMs;
    const pid = Number(readFileSync(lock, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? { pid, mtimeMs } : { mtimeMs };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
