import { statSync } from 'node:fs';
import path from 'node:path';
import { VigilError } from '../common/errors.js';
import type { Inventory, Problem, ProblemCode } from '../common/model.js';

/** Problems that mean the file itself was not read, as opposed to some bad records in it. */
const FATAL: ReadonlySet<ProblemCode> = new Set(['corrupt', 'unreadable', 'too-large', 'unsupported']);

/**
 * When the user names one file (`vigil scan package-lock.json`), a problem with that
 * file means nothing was checked: a CI gate must not pass on a file Vigil never read.
 * Returns the problem that says so, or undefined when the file was read or the
 * target is not a single file.
 */
export function namedInputProblem(inv: Inventory, named: string | undefined): Problem | undefined {
  if (inv.target.kind !== 'path' || named === undefined || !statSync(named, { throwIfNoEntry: false })?.isFile()) return undefined;
  const self = `/${path.basename(inv.target.path)}`;
  return inv.problems.find((p) => p.path === self && FATAL.has(p.code));
}

/** The error a command exits with after its output (which carries the problem) is written. */
export function namedInputError(inv: Inventory, p: Problem): VigilError {
  return p.collector === 'scan' && p.code === 'unsupported'
    ? new VigilError('NOT_COVERED', `${inv.target.path} was not scanned: ${p.message}`)
    : new VigilError('INVALID_INPUT', `${inv.target.path} was not scanned: ${p.message}`);
}
