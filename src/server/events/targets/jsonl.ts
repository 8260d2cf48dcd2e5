import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { VigilEvent } from '../../events.js';
import { onlyFields, stringField, targetError, type JsonlSpec, type SendOutcome, type Target, type TargetOptions } from './types.js';

/**
 * Appends each event as one JSON line to a file under the hub's file root (0600,
 * created if missing, never through a symlink), and fsyncs it before the delivery
 * counts: a SIEM tailing the file reads whole lines only. Writes to one file are
 * made one after the other.
 */

export function parseJsonl(o: Record<string, unknown>, fileRoot: string): JsonlSpec {
  onlyFields(o, ['type', 'path']);
  const p = stringField(o, 'path', 1024);
  resolveInside(fileRoot, p);
  return { type: 'jsonl', path: p };
}

function resolveInside(root: string, p: string): string {
  const full = path.resolve(root, p);
  const rel = path.relative(path.resolve(root), full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw targetError('path', `must name a file inside ${root}, not ${p}`);
  return full;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every write to `file` queued before it. */
function serialized<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(file) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => {});
  queues.set(file, tail);
  void tail.then(() => {
    if (queues.get(file) === tail) queues.delete(file);
  });
  return run;
}

export function jsonlTarget(spec: JsonlSpec, opts: TargetOptions): Target {
  const file = resolveInside(opts.fileRoot, spec.path);
  return {
    kind: 'jsonl',
    send(event: VigilEvent): Promise<SendOutcome> {
      const line = JSON.stringify(event) + '\n';
      return serialized(file, async (): Promise<SendOutcome> => {
        try {
          await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
          const fh = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
          try {
            await fh.writeFile(line);
            await fh.sync();
          } finally {
            await fh.close();
          }
          return { ok: true };
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          // A symlink or a directory where the file should be stays so: no retry mends it.
          return { ok: false, retry: code !== 'ELOOP' && code !== 'EISDIR', error: `append to ${file}: ${(err as Error).message}` };
        }
      });
    },
  };
}
