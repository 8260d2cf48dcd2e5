import { describeError } from '../../common/errors.js';
import type { Component, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { problem } from '../problems.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { parseNuGetLock, type NuGetLockPackage } from './nuget-lock.parse.js';

/**
 * NuGet lock files of .NET projects (`packages.lock.json`): every package restored for
 * any target framework, direct or transitive, once per id and version. Referenced
 * projects are not packages and are left out.
 */

const NAME = 'nuget-lock';
/** Solutions with many frameworks reach a few MiB; beyond this, parsing would cost too much heap. */
export const MAX_NUGET_LOCK_BYTES = 64 * 1024 * 1024;
/** One broken or hostile file must not flood the report. */
const MAX_PROBLEMS_PER_FILE = 50;

function wants(_p: string, base: string): boolean {
  return base === 'packages.lock.json';
}

export function nugetComponent(name: string, version: string, file: string, foundBy: string, metadata: NonNullable<Component['metadata']>): Component {
  return { ecosystem: 'nuget', name, version, purl: formatPurl({ type: 'nuget', name, version }), locations: [file], foundBy, metadata };
}

function component(file: string, pkg: NuGetLockPackage): Component {
  return nugetComponent(pkg.name, pkg.version, file, NAME, { direct: pkg.direct, frameworks: pkg.frameworks });
}

/** Per-entry errors as problems, at most MAX_PROBLEMS_PER_FILE of them and a count of the rest. */
export function entryProblems(collector: string, file: string, errors: readonly string[]): Problem[] {
  const out = errors.slice(0, MAX_PROBLEMS_PER_FILE).map((m) => problem(collector, file, 'malformed-record', m));
  if (errors.length > MAX_PROBLEMS_PER_FILE) out.push(problem(collector, file, 'malformed-record', `${errors.length - MAX_PROBLEMS_PER_FILE} more bad entries not listed`));
  return out;
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_NUGET_LOCK_BYTES, 'a NuGet lock file', out.problems);
  if (text === undefined) return;
  let parsed;
  try {
    parsed = parseNuGetLock(text);
  } catch (err) {
    out.problems.push(problem(NAME, file, 'corrupt', describeError(err)));
    return;
  }
  out.problems.push(...entryProblems(NAME, file, parsed.errors));
  for (const pkg of parsed.packages) out.components.push(component(file, pkg));
  ctx.log.debug({ path: file, lockfile_version: parsed.version, packages: parsed.packages.length }, 'NuGet lock file read');
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'NuGet lock files', collectFile);
}

export const nugetLockCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
