import { describeError } from '../common/errors.js';
import type { Problem, ProblemCode } from '../common/model.js';
import { FileTooLargeError } from './rootfs.js';

/** Turn a caught error while handling `path` into a per-file problem. */
export function problemFrom(collector: string, path: string, err: unknown, code?: ProblemCode): Problem {
  const resolved: ProblemCode =
    code ?? (err instanceof FileTooLargeError ? 'too-large' : (err as NodeJS.ErrnoException)?.code ? 'unreadable' : 'corrupt');
  return { collector, path, code: resolved, message: describeError(err) };
}

export function problem(collector: string, path: string, code: ProblemCode, message: string): Problem {
  return { collector, path, code, message };
}
