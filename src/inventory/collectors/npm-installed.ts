import { describeError } from '../../common/errors.js';
import type { Component } from '../../common/model.js';
import type { CollectContext, CollectResult, Collector } from '../collector.js';
import { collectEach, readCollectorText } from '../text-file.js';
import { problem } from '../problems.js';
import { isPlausibleVersion, isValidNpmName, npmPurl, parseNpmManifest, quote } from './npm-package-json.parse.js';

/**
 * Installed npm packages: the `package.json` at the top of each
 * `node_modules/<name>/` or `node_modules/@scope/<name>/` directory, global
 * (`/usr/lib/node_modules`) or per project, at any nesting depth.
 *
 * A project's own `package.json` is never reported, even when it is the one file
 * scanned: it names the application itself and only version ranges of its
 * dependencies; the lockfile or `node_modules` say what is really used.
 */

const NAME = 'npm-installed';
/** Old npm copied the README into installed manifests; real ones stay far below this. */
export const MAX_PACKAGE_JSON_BYTES = 8 * 1024 * 1024;

/** The package directory a manifest path belongs to, when it sits directly inside `node_modules`. */
function packageFolder(p: string): string | undefined {
  if (!p.endsWith('/package.json')) return undefined;
  const dir = p.slice(0, -'/package.json'.length);
  const i = dir.lastIndexOf('/');
  const folder = dir.slice(i + 1);
  if (i < 0 || folder === '' || folder.startsWith('.') || folder.startsWith('@')) return undefined;
  const parent = dir.slice(0, i);
  if (parent.endsWith('/node_modules')) return folder;
  const j = parent.lastIndexOf('/');
  const scope = parent.slice(j + 1);
  if (j >= 0 && scope.length > 1 && scope.startsWith('@') && parent.slice(0, j).endsWith('/node_modules')) return `${scope}/${folder}`;
  return undefined;
}

function wants(p: string, base: string): boolean {
  return base === 'package.json' && packageFolder(p) !== undefined;
}

async function collectFile(ctx: CollectContext, file: string, out: CollectResult): Promise<void> {
  const text = await readCollectorText(ctx, NAME, file, MAX_PACKAGE_JSON_BYTES, 'package.json', out.problems);
  if (text === undefined) return;
  let m;
  try {
    m = parseNpmManifest(text);
  } catch (err) {
    out.problems.push(problem(NAME, file, 'corrupt', describeError(err)));
    return;
  }
  // Manifests without a name or version are placeholders (test fixtures, build stubs), not packages.
  if (!m.name || !m.version) {
    ctx.log.trace({ path: file }, 'package.json without name or version skipped');
    return;
  }
  if (!isValidNpmName(m.name)) {
    out.problems.push(problem(NAME, file, 'malformed-record', `invalid package name ${quote(m.name)}`));
    return;
  }
  if (!isPlausibleVersion(m.version)) {
    out.problems.push(problem(NAME, file, 'malformed-record', `invalid version ${quote(m.version)}`));
    return;
  }
  const c: Component = {
    ecosystem: 'npm',
    name: m.name,
    version: m.version,
    purl: npmPurl(m.name, m.version),
    locations: [file],
    foundBy: NAME,
  };
  if (m.licenses.length) c.licenses = m.licenses;
  const folder = packageFolder(file);
  if (folder !== undefined && folder !== m.name) c.metadata = { aliases: [folder] };
  out.components.push(c);
}

function collect(ctx: CollectContext): Promise<CollectResult> {
  return collectEach(ctx, 'installed npm packages', collectFile);
}

export const npmInstalledCollector: Collector = {
  name: NAME,
  version: 1,
  databases: [],
  wants,
  collect,
};
