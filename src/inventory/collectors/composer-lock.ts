import { describeError } from '../../common/errors.js';
import type { Component, Problem } from '../../common/model.js';
import { formatPurl } from '../../common/purl.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { problem } from '../problems.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { parseComposerLock, type ComposerPackage, type ComposerResult } from './composer.parse.js';

/**
 * Composer lock files (`composer.lock`) of PHP projects: every package of `packages`
 * and `packages-dev`, the latter marked `dev`. Lock files inside `vendor/` belong to
 * the installed packages' own development and are not read; what is installed there
 * is composer-installed's to report.
 */

const NAME = 'composer-lock';
/** Large applications (Drupal, Magento) lock a few MiB; beyond this, parsing would cost too much heap. */
export const MAX_COMPOSER_FILE_BYTES = 64 * 1024 * 1024;
/** One broken or hostile file must not flood the report. */
const MAX_PROBLEMS_PER_FILE = 50;

function wants(p: string, base: string): boolean {
  return base === 'composer.lock' && !p.includes('/vendor/');
}

/** One Composer package found in `file`: `pkg:composer/vendor/name@version`, as the purl type wants it, lower case. */
export function composerComponent(pkg: ComposerPackage, file: string, foundBy: string): Component {
  const slash = pkg.name.indexOf('/');
  const metadata: NonNullable<Component['metadata']> = {};
  if (pkg.dev !== undefined) metadata.dev = pkg.dev;
  if (pkg.type !== undefined) metadata.type = pkg.type;
  if (pkg.reference !== undefined) metadata.reference = pkg.reference;
  const c: Component = {
    ecosystem: 'composer',
    name: pkg.name,
    version: pkg.version,
    purl: formatPurl({ type: 'composer', namespace: pkg.name.slice(0, slash), name: pkg.name.slice(slash + 1), version: pkg.version }),
    locations: [file],
    foundBy,
  };
  if (pkg.licenses.length) c.licenses = pkg.licenses;
  if (Object.keys(metadata).length) c.metadata = metadata;
  return c;
}

function entryProblems(collector: string, file: string, errors: readonly string[]): Problem[] {
  const out = errors.slice(0, MAX_PROBLEMS_PER_FILE).map((m) => problem(collector, file, 'malformed-record', m));
  if (errors.length > MAX_PROBLEMS_PER_FILE) out.push(problem(collector, file, 'malformed-record', `${errors.length - MAX_PROBLEMS_PER_FILE} more bad entries not listed`));
  return out;
}

/** Read one Composer file with `parse`, turning a broken file into one problem and bad entries into one each. */
export async function collectComposerFile(
  ctx: CollectContext,
  file: string,
  out: CollectResult,
  collector: string,
  what: string,
  parse: (text: string) => ComposerResult,
): Promise<void> {
  const text = await readCollectorText(ctx, collector, file, MAX_COMPOSER_FILE_BYTES, what, out.problems);
  if (text === undefined) return;
  let parsed;
  try {
    parsed = parse(text);
  } catch (err) {
    out.problems.push(problem(collector, file, 'corrupt', describeError(err)));
    return;
  }
  out.problems.push(...entryProblems(collector, file, parsed.errors));
  for (const pkg of parsed.packages) out.components.push(composerComponent(pkg, file, collector));
  ctx.log.debug({ path: file, packages: parsed.packages.length }, `${what} read`);
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'Composer lock files', (c, file, out) => collectComposerFile(c, file, out, NAME, 'a Composer lock file', parseComposerLock));
}

export const composerLockCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
