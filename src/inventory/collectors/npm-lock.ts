import path from 'node:path';
import { describeError } from '../../common/errors.js';
import type { Component, Problem } from '../../common/model.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { problem } from '../problems.js';
import { existsInRoot } from '../rootfs.js';
import { parseNpmLock, type NpmLockPackage } from './npm-lock.parse.js';
import { npmPurl } from './npm-package-json.parse.js';

/**
 * npm lockfiles. A lockfile is the project's whole dependency tree, including
 * dev dependencies and other platforms' optional packages that this install may
 * have left out; every entry is reported. When a `node_modules` directory sits
 * beside the lockfile, each component says whether it is actually there
 * (`installed`); the npm-installed collector reports what is there on its own.
 */

const NAME = 'npm-lock';
const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);
/** Monorepo lockfiles reach tens of MiB; beyond this, parsing would cost gigabytes of heap. */
export const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;
/** One broken or hostile file must not flood the report. */
const MAX_PROBLEMS_PER_FILE = 50;

/**
 * Lockfiles inside `node_modules` belong to published packages (their own dev setup,
 * never installed here) and npm's hidden `node_modules/.package-lock.json` mirrors
 * what npm-installed reads directly: both would only add false entries.
 */
function wants(p: string, base: string): boolean {
  return LOCKFILES.has(base) && !p.includes('/node_modules/');
}

function component(file: string, pkg: NpmLockPackage, installed: boolean | undefined): Component {
  const metadata: NonNullable<Component['metadata']> = { dev: pkg.dev, optional: pkg.optional };
  if (pkg.devOptional !== undefined) metadata.devOptional = pkg.devOptional;
  if (pkg.direct !== undefined) metadata.direct = pkg.direct;
  if (installed !== undefined) metadata.installed = installed;
  if (pkg.local) metadata.local = true;
  if (pkg.aliases.length) metadata.aliases = pkg.aliases;
  metadata.paths = pkg.paths;
  const c: Component = {
    ecosystem: 'npm',
    name: pkg.name,
    version: pkg.version,
    purl: npmPurl(pkg.name, pkg.version),
    locations: [file],
    foundBy: NAME,
    metadata,
  };
  if (pkg.licenses.length) c.licenses = pkg.licenses;
  return c;
}

/** Whether each package is present under the lockfile's directory; undefined when nothing was installed there. */
async function installedProbe(root: string, file: string): Promise<((pkg: NpmLockPackage) => Promise<boolean>) | undefined> {
  const dir = path.posix.dirname(file);
  if (!(await existsInRoot(root, path.posix.join(dir, 'node_modules')))) return undefined;
  return async (pkg) => {
    for (const p of pkg.paths) if (await existsInRoot(root, path.posix.join(dir, p))) return true;
    return false;
  };
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_LOCKFILE_BYTES, 'an npm lockfile', out.problems);
  if (text === undefined) return;
  let parsed;
  try {
    parsed = parseNpmLock(text);
  } catch (err) {
    out.problems.push(problem(NAME, file, 'corrupt', describeError(err)));
    return;
  }
  out.problems.push(...entryProblems(file, parsed.errors));
  const probe = await installedProbe(ctx.root, file);
  for (const pkg of parsed.packages) {
    if (ctx.signal?.aborted) return;
    out.components.push(component(file, pkg, probe ? await probe(pkg) : undefined));
  }
  ctx.log.debug({ path: file, lockfile_version: parsed.lockfileVersion, packages: parsed.packages.length }, 'npm lockfile read');
}

function entryProblems(file: string, errors: string[]): Problem[] {
  const out = errors.slice(0, MAX_PROBLEMS_PER_FILE).map((m) => problem(NAME, file, 'malformed-record', m));
  if (errors.length > MAX_PROBLEMS_PER_FILE) {
    out.push(problem(NAME, file, 'malformed-record', `${errors.length - MAX_PROBLEMS_PER_FILE} more bad entries not listed`));
  }
  return out;
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'npm lockfiles', collectFile);
}

export const npmLockCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
