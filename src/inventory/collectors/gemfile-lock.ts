import { describeError } from '../../common/errors.js';
import type { Component, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { problem } from '../problems.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { parseGemfileLock, type GemLockSpec } from './gemfile-lock.parse.js';

/**
 * Ruby gems locked by Bundler (`Gemfile.lock`, or `gems.locked` beside a `gems.rb`).
 * Every locked gem is reported once per version with the platforms it is locked for
 * and its source (`metadata.source`): gems of `GEM` sections are looked up in the
 * RubyGems advisories; gems of `GIT` and `PATH` sections (the project's own gems,
 * forks, local checkouts) are listed but never matched, since a fork's version says
 * nothing about the published gem. Lockfiles inside installed gems (a gem's own
 * development lockfile, shipped in its directory) were never resolved here and are not
 * read.
 */

const NAME = 'gemfile-lock';
const LOCKFILES = new Set(['Gemfile.lock', 'gems.locked']);
export const MAX_GEMFILE_LOCK_BYTES = 16 * 1024 * 1024;
const MAX_PROBLEMS_PER_FILE = 50;
/** `<gem home>/gems/<name>-<version>/` and Bundler's `bundler/gems/<name>-<sha>/` checkouts. */
const INSIDE_GEM = /\/(?:gems|ruby)\/[0-9][^/]*\/(?:bundler\/)?gems\//;

function wants(p: string, base: string): boolean {
  return LOCKFILES.has(base) && !INSIDE_GEM.test(p);
}

function component(file: string, spec: GemLockSpec, bundledWith: string | undefined): Component {
  const metadata: NonNullable<Component['metadata']> = { source: spec.source, platforms: spec.platforms, direct: spec.direct };
  if (spec.remotes.length) metadata.remotes = spec.remotes;
  if (spec.revision) metadata.revision = spec.revision;
  if (bundledWith) metadata.bundledWith = bundledWith;
  const remote = spec.remotes[0];
  const qualifiers = spec.source === 'git' && remote ? { vcs_url: `git+${remote}${spec.revision ? `@${spec.revision}` : ''}` } : undefined;
  return {
    ecosystem: 'gem',
    name: spec.name,
    version: spec.version,
    purl: formatPurl({ type: 'gem', name: spec.name, version: spec.version, qualifiers }),
    locations: [file],
    foundBy: NAME,
    metadata,
  };
}

function entryProblems(file: string, errors: string[]): Problem[] {
  const out = errors.slice(0, MAX_PROBLEMS_PER_FILE).map((m) => problem(NAME, file, 'malformed-record', m));
  if (errors.length > MAX_PROBLEMS_PER_FILE) out.push(problem(NAME, file, 'malformed-record', `${errors.length - MAX_PROBLEMS_PER_FILE} more bad entries not listed`));
  return out;
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_GEMFILE_LOCK_BYTES, 'a Bundler lockfile', out.problems);
  if (text === undefined) return;
  let parsed;
  try {
    parsed = parseGemfileLock(text);
  } catch (err) {
    out.problems.push(problem(NAME, file, 'corrupt', describeError(err)));
    return;
  }
  out.problems.push(...entryProblems(file, parsed.errors));
  for (const spec of parsed.specs) out.components.push(component(file, spec, parsed.bundledWith));
  ctx.log.debug({ path: file, gems: parsed.specs.length }, 'Bundler lockfile read');
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'Bundler lockfiles', collectFile);
}

export const gemfileLockCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
