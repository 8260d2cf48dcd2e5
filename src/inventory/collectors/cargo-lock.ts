import { describeError } from '../../common/errors.js';
import type { Component, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { problem } from '../problems.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { parseCargoLock, type CargoPackage } from './cargo-lock.parse.js';

/**
 * Rust crates locked in `Cargo.lock`. Every package of the lockfile is reported, with
 * where it comes from (`metadata.source`): only crates.io packages are looked up in the
 * crates.io advisories (RustSec); a workspace member, a path or git dependency or a
 * crate of another registry is inventoried but never matched, since the same name there
 * need not be the crates.io crate. Lockfiles of downloaded crate sources
 * (`~/.cargo/registry/src`, `~/.cargo/git/checkouts`) belong to those crates' own
 * development, never built here, and are not read.
 */

const NAME = 'cargo-lock';
/** Large workspaces' lockfiles are a few MiB. */
export const MAX_CARGO_LOCK_BYTES = 32 * 1024 * 1024;
const MAX_PROBLEMS_PER_FILE = 50;
const DOWNLOADED = /\/\.cargo\/(?:registry|git)\//;

function wants(p: string, base: string): boolean {
  return base === 'Cargo.lock' && !DOWNLOADED.test(p);
}

/** purl of a locked package: crates.io plain, a git source with its `vcs_url`, another registry with its `repository_url`. */
export function cargoPurl(pkg: Pick<CargoPackage, 'name' | 'version' | 'source' | 'url' | 'revision'>): string {
  const qualifiers: Record<string, string | undefined> = {};
  if (pkg.source === 'git' && pkg.url) qualifiers.vcs_url = `git+${pkg.url}${pkg.revision ? `@${pkg.revision}` : ''}`;
  if (pkg.source === 'registry') qualifiers.repository_url = pkg.url;
  return formatPurl({ type: 'cargo', name: pkg.name, version: pkg.version, qualifiers });
}

/**
 * A Cargo package as a component: its purl, and in `metadata.source` where it comes from,
 * which decides whether it is looked up (`src/ecosystems/cargo.ts`). Also used for the
 * packages recorded in executables (`cargo-auditable.ts`).
 */
export function cargoComponent(
  foundBy: string,
  locations: string[],
  pkg: Pick<CargoPackage, 'name' | 'version' | 'source' | 'url' | 'revision'>,
  extra: NonNullable<Component['metadata']> = {},
): Component {
  const metadata: NonNullable<Component['metadata']> = { source: pkg.source };
  if (pkg.url) metadata[pkg.source === 'git' ? 'repository' : 'registry'] = pkg.url;
  if (pkg.revision) metadata.revision = pkg.revision;
  Object.assign(metadata, extra);
  return { ecosystem: 'cargo', name: pkg.name, version: pkg.version, purl: cargoPurl(pkg), locations, foundBy, metadata };
}

function component(file: string, pkg: CargoPackage, lockfileVersion: number | undefined): Component {
  return cargoComponent(NAME, [file], pkg, lockfileVersion !== undefined ? { lockfileVersion } : {});
}

function entryProblems(file: string, errors: string[]): Problem[] {
  const out = errors.slice(0, MAX_PROBLEMS_PER_FILE).map((m) => problem(NAME, file, 'malformed-record', m));
  if (errors.length > MAX_PROBLEMS_PER_FILE) out.push(problem(NAME, file, 'malformed-record', `${errors.length - MAX_PROBLEMS_PER_FILE} more bad entries not listed`));
  return out;
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_CARGO_LOCK_BYTES, 'a Cargo lockfile', out.problems);
  if (text === undefined) return;
  let parsed;
  try {
    parsed = parseCargoLock(text);
  } catch (err) {
    out.problems.push(problem(NAME, file, 'corrupt', `not a Cargo lockfile: ${describeError(err)}`));
    return;
  }
  out.problems.push(...entryProblems(file, parsed.errors));
  for (const pkg of parsed.packages) out.components.push(component(file, pkg, parsed.lockfileVersion));
  ctx.log.debug({ path: file, lockfile_version: parsed.lockfileVersion ?? null, packages: parsed.packages.length }, 'Cargo lockfile read');
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'Cargo lockfiles', collectFile);
}

export const cargoLockCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
